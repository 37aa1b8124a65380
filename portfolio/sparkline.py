"""The dashboard's small headline chart: the measured points and the pace line from baseline to
target, as SVG geometry the template draws."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from scorecards.portfolio_facts import sparkline_points
from scorecards.rules import Point

from .selectors import Row

WIDTH, HEIGHT, PAD = 120, 32, 2


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: str
    pace: tuple[float, float, float, float]
    description: str


def sparkline(
    points: list[Point],
    *,
    baseline: Decimal,
    target: Decimal,
    baseline_date: dt.date,
    target_date: dt.date,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Sparkline:
    """Points oldest first between the baseline and target dates (and any measured outside
    them), with the pace line a programme on schedule would follow."""
    start = min([baseline_date, *(p.measured_at.date() for p in points)])
    end = max([target_date, *(p.measured_at.date() for p in points)])
    span_days = max((end - start).days, 1)
    values = [baseline, target, *(p.value for p in points)]
    low, high = min(values), max(values)
    span_value = (high - low) or Decimal(1)

    def x(day: dt.date) -> float:
        return round(PAD + (width - 2 * PAD) * (day - start).days / span_days, 1)

    def y(value: Decimal) -> float:
        return round(PAD + float((high - value) / span_value) * (height - 2 * PAD), 1)

    line = " ".join(f"{x(p.measured_at.date())},{y(p.value)}" for p in points)
    return Sparkline(
        width,
        height,
        line,
        (x(baseline_date), y(baseline), x(target_date), y(target)),
        f"{len(points)} measurements; the dashed line is the pace from baseline to target",
    )


def charts_for(rows: list[Row]) -> dict[int, Sparkline]:
    """The sparkline of each row with a headline, by programme id: the points of only these
    rows are read (one query), so a page of 100 costs the same in a portfolio of 10,000."""
    headlines = {row.programme.pk: row.scorecard.headline for row in rows if row.scorecard.headline}
    points = sparkline_points([metric.pk for metric in headlines.values()])
    return {
        pk: sparkline(
            points[metric.pk],
            baseline=metric.baseline_value,
            target=metric.target_value,
            baseline_date=metric.baseline_date,
            target_date=metric.target_date,
        )
        for pk, metric in headlines.items()
    }
