"""The scorecard rules, in one place for pages, API, tasks and the dashboard: progress, RAG,
regression, staleness, model-change markers and unit economics. Pure functions; no ORM."""

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from programmes.numbers import plain_number

from .models import Direction, Rag

# A harness clock a little ahead of ours is not an error; a measurement from tomorrow is.
CLOCK_SKEW = dt.timedelta(minutes=5)
HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Point:
    """One measurement as the rules see it."""

    value: Decimal
    measured_at: dt.datetime
    model_version: str = ""


def shortfall(value: Decimal, reference: Decimal, direction: str) -> Decimal:
    """How much worse ``value`` is than ``reference`` (negative when it is better)."""
    return reference - value if direction == Direction.HIGHER else value - reference


def target_refusals(
    *,
    direction: str,
    baseline_value: Decimal,
    target_value: Decimal,
    baseline_date: dt.date,
    target_date: dt.date,
) -> list[tuple[str, str]]:
    """Each (field, message) for which a baseline and target cannot stand together; none when
    they can."""
    refusals = []
    if shortfall(target_value, baseline_value, direction) >= 0:
        better = "higher" if direction == Direction.HIGHER else "lower"
        refusals.append(
            (
                "target_value",
                f"The target ({plain_number(target_value)}) must be better than the baseline "
                f"({plain_number(baseline_value)}): {better} is better for this metric.",
            )
        )
    if target_date <= baseline_date:
        refusals.append(
            (
                "target_date",
                f"The target date ({target_date:%d %b %Y}) must come after the baseline date "
                f"({baseline_date:%d %b %Y}).",
            )
        )
    return refusals


def future_refusal(measured_at: dt.datetime, now: dt.datetime) -> str | None:
    """Why a measurement's time is refused (it is in the future), or None."""
    if measured_at > now + CLOCK_SKEW:
        return (
            f"{measured_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC is in the future; a measurement "
            "records something that has already happened."
        )
    return None


def progress(current: Decimal | None, *, baseline: Decimal, target: Decimal) -> Decimal:
    """Progress from baseline to target in %, by direction, not capped; 0 when nothing is
    measured. Past the target is over 100; worse than the baseline is below 0."""
    if current is None or target == baseline:
        return Decimal("0.0")
    return ((current - baseline) / (target - baseline) * HUNDRED).quantize(
        ONE_DECIMAL, ROUND_HALF_UP
    )


def expected_progress(today: dt.date, *, baseline_date: dt.date, target_date: dt.date) -> Decimal:
    """Where progress should be by ``today`` on a straight line from baseline to target date."""
    span = (target_date - baseline_date).days
    if span <= 0:
        return HUNDRED
    elapsed = min(max((today - baseline_date).days, 0), span)
    return (Decimal(elapsed) / Decimal(span) * HUNDRED).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def regression_reason(
    value: Decimal,
    previous: Sequence[Decimal],
    *,
    baseline: Decimal,
    direction: str,
    tolerance: Decimal,
) -> str | None:
    """Why ``value`` is a regression, or None. ``previous`` are the K values before it.

    A regression is a value worse than the baseline, or worse than the median of the previous K
    by more than the tolerance.
    """
    if shortfall(value, baseline, direction) > 0:
        return f"{plain_number(value)} is worse than the baseline {plain_number(baseline)}"
    if previous:
        median = Decimal(statistics.median(previous))
        if shortfall(value, median, direction) > tolerance:
            return (
                f"{plain_number(value)} is worse than the median of the previous {len(previous)} "
                f"({plain_number(median)}) by more than the tolerance {plain_number(tolerance)}"
            )
    return None


def model_changed(previous: Point | None, point: Point, *, tolerance: Decimal) -> bool:
    """Whether the model/version changed at ``point`` next to a move in the number."""
    if previous is None or not previous.model_version or not point.model_version:
        return False
    if previous.model_version == point.model_version:
        return False
    return abs(point.value - previous.value) > tolerance


def compute_rag(
    *,
    current: Decimal | None,
    baseline: Decimal,
    direction: str,
    regression_open: bool,
    progress_pct: Decimal,
    expected_pct: Decimal,
    amber_margin: int,
) -> str:
    """Red when worse than baseline or a regression is open; amber when progress trails the
    expected progress by more than the margin; green otherwise."""
    if regression_open or (current is not None and shortfall(current, baseline, direction) > 0):
        return Rag.RED
    if progress_pct < expected_pct - amber_margin:
        return Rag.AMBER
    return Rag.GREEN


def is_stale(
    last_measured_at: dt.datetime | None, now: dt.datetime, *, staleness_days: int
) -> bool:
    """Whether nothing has been measured within the staleness window."""
    return last_measured_at is None or now - last_measured_at > dt.timedelta(days=staleness_days)


@dataclass(frozen=True)
class MarkedPoint:
    """A point of a series with what the chart calls out about it."""

    point: Point
    regression: str | None
    model_change: bool


def mark_series(
    points: Sequence[Point],
    *,
    baseline: Decimal,
    direction: str,
    tolerance: Decimal,
    window: int,
) -> list[MarkedPoint]:
    """Each point of a series (oldest first) with its regression reason and model-change flag."""
    marked = []
    for index, point in enumerate(points):
        previous_values = [p.value for p in points[max(0, index - window) : index]]
        marked.append(
            MarkedPoint(
                point=point,
                regression=regression_reason(
                    point.value,
                    previous_values,
                    baseline=baseline,
                    direction=direction,
                    tolerance=tolerance,
                ),
                model_change=model_changed(
                    points[index - 1] if index else None, point, tolerance=tolerance
                ),
            )
        )
    return marked


@dataclass(frozen=True)
class UnitEconomics:
    """Monthly cost now and at the planned volume, held against the programme's envelope."""

    cost_per_task: Decimal | None
    current_volume: Decimal | None
    projected_volume: Decimal | None
    current_monthly_cost: Decimal | None
    projected_monthly_cost: Decimal | None
    envelope: Decimal | None

    @property
    def breached(self) -> bool:
        if self.envelope is None:
            return False
        costs = [
            c for c in (self.current_monthly_cost, self.projected_monthly_cost) if c is not None
        ]
        return any(cost > self.envelope for cost in costs)

    @property
    def headroom(self) -> Decimal | None:
        """What the envelope leaves at the projected (else current) monthly cost."""
        cost = self.projected_monthly_cost or self.current_monthly_cost
        if self.envelope is None or cost is None:
            return None
        return self.envelope - cost


def unit_economics(
    *,
    cost_per_task: Decimal | None,
    current_volume: Decimal | None,
    projected_volume: Decimal | None,
    envelope: Decimal | None,
) -> UnitEconomics:
    """Projected monthly cost = cost per task × projected monthly volume (the volume target)."""
    cents = Decimal("0.01")

    def times(volume: Decimal | None) -> Decimal | None:
        if cost_per_task is None or volume is None:
            return None
        return (cost_per_task * volume).quantize(cents, ROUND_HALF_UP)

    return UnitEconomics(
        cost_per_task=cost_per_task,
        current_volume=current_volume,
        projected_volume=projected_volume,
        current_monthly_cost=times(current_volume),
        projected_monthly_cost=times(projected_volume),
        envelope=envelope,
    )


@dataclass(frozen=True)
class MetricStatus:
    """Everything the scorecard says about a metric right now."""

    current: Decimal | None
    current_at: dt.datetime | None
    progress: Decimal
    expected_progress: Decimal
    rag: str
    regression: str | None
    stale: bool
    confidence: int | None
    rag_override: str
    override_reason: str


def metric_status(
    *,
    baseline_value: Decimal,
    baseline_date: dt.date,
    target_value: Decimal,
    target_date: dt.date,
    direction: str,
    amber_margin: int,
    staleness_days: int,
    latest: Point | None,
    open_regression: str | None,
    confidence: int | None = None,
    rag_override: str = "",
    override_reason: str = "",
    now: dt.datetime,
) -> MetricStatus:
    """A metric's status from its latest point, its open regression and the owner's view."""
    current = latest.value if latest else None
    progress_pct = progress(current, baseline=baseline_value, target=target_value)
    expected_pct = expected_progress(
        now.date(), baseline_date=baseline_date, target_date=target_date
    )
    return MetricStatus(
        current=current,
        current_at=latest.measured_at if latest else None,
        progress=progress_pct,
        expected_progress=expected_pct,
        rag=compute_rag(
            current=current,
            baseline=baseline_value,
            direction=direction,
            regression_open=open_regression is not None,
            progress_pct=progress_pct,
            expected_pct=expected_pct,
            amber_margin=amber_margin,
        ),
        regression=open_regression,
        stale=is_stale(latest.measured_at if latest else None, now, staleness_days=staleness_days),
        confidence=confidence,
        rag_override=rag_override,
        override_reason=override_reason,
    )
