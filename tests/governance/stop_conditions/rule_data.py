"""Plain data for the rule-kind tests: a programme with one headline metric and its points."""

import datetime as dt
from decimal import Decimal

from governance.stop_condition_rules import (
    IncidentData,
    MetricData,
    Point,
    ProgrammeData,
    RuleContext,
)

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def headline(
    *values: float,
    every: dt.timedelta = dt.timedelta(days=1),
    last: dt.datetime = NOW - dt.timedelta(hours=1),
    baseline: float = 70,
    target: float = 90,
    baseline_date: dt.date = dt.date(2026, 1, 1),
    target_date: dt.date = dt.date(2027, 1, 1),
    direction: str = "higher",
    kind: str = "evaluation",
    metric_id: int = 1,
    is_headline: bool = True,
    unit: str = "%",
) -> MetricData:
    """A metric with ``values`` measured ``every`` apart, the last at ``last``."""
    points = tuple(
        Point(100 + i, Decimal(str(value)), last - every * i)
        for i, value in enumerate(reversed(values))
    )
    return MetricData(
        id=metric_id,
        name="Routing accuracy" if is_headline else f"Metric {metric_id}",
        unit=unit,
        kind=kind,
        is_headline=is_headline,
        direction=direction,
        baseline_value=Decimal(str(baseline)),
        baseline_date=baseline_date,
        target_value=Decimal(str(target)),
        target_date=target_date,
        points=points,
    )


def programme(
    *metrics: MetricData,
    incidents: tuple[IncidentData, ...] = (),
    created_at: dt.datetime = dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    zone: str = "Europe/London",
    envelope: Decimal | None = None,
) -> ProgrammeData:
    return ProgrammeData(
        programme_id=1,
        timezone=zone,
        created_at=created_at,
        cost_envelope=envelope,
        currency="EUR",
        metrics={m.id: m for m in metrics},
        incidents=incidents,
    )


def context(
    *metrics: MetricData, today: dt.date = TODAY, envelope: Decimal | None = None
) -> RuleContext:
    return RuleContext(metrics={m.id: m for m in metrics}, cost_envelope=envelope, today=today)
