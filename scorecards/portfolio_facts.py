"""What the leadership dashboard reads of the scorecards: each programme's headline standing,
unit economics and target slip for many programmes at once, and the sparkline points of the
rows on screen."""

import dataclasses
import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from programmes.any_of import AnyOf
from programmes.models import AuditEvent, Programme
from programmes.plain_rows import plain_rows

from . import rules
from .models import Assessment, Measurement, Metric, MetricKind, Regression


@dataclass(frozen=True)
class TargetSlip:
    """A headline target changed after it was agreed: what was agreed, and progress against it."""

    original_value: Decimal
    original_date: dt.date
    original_progress: Decimal
    changed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FactMetric:
    """What the dashboard shows and a status needs of a metric (``Metric``'s fields of the same
    names): not its people nor its timestamps."""

    pk: int
    programme_id: int
    name: str
    unit: str
    kind: str
    is_headline: bool
    direction: str
    baseline_value: Decimal
    baseline_date: dt.date
    target_value: Decimal
    target_date: dt.date
    agreed_on: dt.date | None
    staleness_days: int
    amber_margin: int


FACT_FIELDS = tuple(
    "id" if field.name == "pk" else field.name for field in dataclasses.fields(FactMetric)
)


@dataclass(frozen=True)
class ScorecardFacts:
    """What the leadership dashboard shows of one programme's scorecard."""

    headline: FactMetric | None
    status: rules.MetricStatus | None
    economics: rules.UnitEconomics
    slip: TargetSlip | None


SLIPPED_FIELDS = ("target_value", "target_date")
# The dashboard's sparkline shows the latest points only.
SPARKLINE_POINTS = 20
ECONOMICS_KINDS = (MetricKind.COST_PER_TASK, MetricKind.TASK_VOLUME)


def sparkline_points(metric_ids: list[int]) -> dict[int, list[rules.Point]]:
    """Each metric's latest ``SPARKLINE_POINTS`` points, oldest first: one query."""
    recent = (
        Measurement.objects.filter(AnyOf(F("metric_id"), metric_ids))
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("metric_id")],
                order_by=[F("measured_at").desc(), F("id").desc()],
            )
        )
        .filter(newest__lte=SPARKLINE_POINTS)
        .order_by("metric_id", "measured_at", "id")
        .values_list("metric_id", "value", "measured_at", "model_version")
    )
    found: dict[int, list[rules.Point]] = {pk: [] for pk in metric_ids}
    for metric_id, value, at, version in recent:
        found[metric_id].append(rules.Point(value, at, version))
    return found


def _target_slips(headlines: list[FactMetric]) -> dict[int, TargetSlip]:
    """Each agreed headline whose target moved after its agreement, from the audit trail: one
    query. The original is what the first change after agreement moved it from."""
    agreed = {m.pk: m for m in headlines if m.agreed_on is not None}
    if not agreed:
        return {}
    events = AuditEvent.objects.filter(
        AnyOf(F("object_id"), [str(pk) for pk in agreed]), object_type="metric", action="update"
    ).order_by("at", "id")
    slips: dict[int, TargetSlip] = {}
    for object_id, at, before, after in events.values_list("object_id", "at", "before", "after"):
        metric = agreed[int(object_id)]
        agreed_on = metric.agreed_on
        before, after = before or {}, after or {}
        moved = [name for name in SLIPPED_FIELDS if name in after]
        if metric.pk in slips or not moved or agreed_on is None or at.date() < agreed_on:
            continue
        value = Decimal(str(before.get("target_value", metric.target_value)))
        date = before.get("target_date", metric.target_date)
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        slips[metric.pk] = TargetSlip(value, date, Decimal(0), at)
    return slips


def _newest(model: Any, order: tuple[str, ...], field: str, **match: Any) -> Subquery:
    return Subquery(
        model.objects.filter(metric=OuterRef("pk"), **match).order_by(*order).values(field)[:1]
    )


def _fact_metrics(
    programme_ids: list[int],
) -> tuple[list[FactMetric], list[int], list[int], dict[int, str]]:
    """The headlines and economics metrics of these programmes, each headline first; the ids of
    their latest measurements and assessments; the reason of each one's open regression."""
    rows = (
        Metric.objects.filter(AnyOf(F("programme_id"), programme_ids))
        .filter(Q(is_headline=True) | Q(kind__in=ECONOMICS_KINDS))
        .annotate(
            latest_id=_newest(Measurement, ("-measured_at", "-id"), "id"),
            assessment_id=_newest(Assessment, ("-at", "-id"), "id"),
            regression=_newest(Regression, ("-opened_at", "-id"), "reason", closed_at=None),
        )
        .order_by("programme_id", "-is_headline", "id")
        .values_list(*FACT_FIELDS, "latest_id", "assessment_id", "regression")
    )
    metrics, latest_ids, assessment_ids, regressions = [], [], [], {}
    fields = len(FACT_FIELDS)
    for row in plain_rows(rows):
        metric = FactMetric(*row[:fields])
        latest_id, assessment_id, regression = row[fields:]
        metrics.append(metric)
        if latest_id is not None:
            latest_ids.append(latest_id)
        if assessment_id is not None:
            assessment_ids.append(assessment_id)
        if regression is not None:
            regressions[metric.pk] = regression
    return metrics, latest_ids, assessment_ids, regressions


def _status(
    metric: FactMetric,
    latest: rules.Point | None,
    regression: str | None,
    assessment: tuple[int, str, str] | None,
    now: dt.datetime,
) -> rules.MetricStatus:
    """What ``selectors.status_of`` says, from the rows ``dashboard_facts`` read."""
    confidence, override, reason = assessment or (None, "", "")
    return rules.metric_status(
        baseline_value=metric.baseline_value,
        baseline_date=metric.baseline_date,
        target_value=metric.target_value,
        target_date=metric.target_date,
        direction=metric.direction,
        amber_margin=metric.amber_margin,
        staleness_days=metric.staleness_days,
        latest=latest,
        open_regression=regression,
        confidence=confidence,
        rag_override=override,
        override_reason=reason if override else "",
        now=now,
    )


def _economics(
    programme: Programme,
    own: list[FactMetric | None],
    latest: dict[int, rules.Point],
    unmeasured: dict[Decimal | None, rules.UnitEconomics],
) -> rules.UnitEconomics:
    """What ``selectors.unit_economics_of`` says, from the rows ``dashboard_facts`` read."""
    by_kind: dict[str, FactMetric] = {}
    for metric in own:
        if metric is not None:
            by_kind.setdefault(metric.kind, metric)
    cost = by_kind.get(MetricKind.COST_PER_TASK)
    volume = by_kind.get(MetricKind.TASK_VOLUME)
    if cost is None and volume is None:
        # Most programmes have neither metric: theirs is the envelope alone, and (frozen) one
        # object per envelope serves them all, ten thousand fewer for the collector to walk.
        envelope = programme.cost_envelope
        if envelope not in unmeasured:
            unmeasured[envelope] = rules.unit_economics(
                cost_per_task=None, current_volume=None, projected_volume=None, envelope=envelope
            )
        return unmeasured[envelope]
    cost_point = latest.get(cost.pk) if cost else None
    volume_point = latest.get(volume.pk) if volume else None
    return rules.unit_economics(
        cost_per_task=cost_point.value if cost_point else None,
        current_volume=volume_point.value if volume_point else None,
        projected_volume=volume.target_value if volume else None,
        envelope=programme.cost_envelope,
    )


def dashboard_facts(programmes: list[Programme], now: dt.datetime) -> dict[int, ScorecardFacts]:
    """Each programme's headline standing, unit economics and target slip, in four queries
    however many programmes, from plain rows: the metrics, and only the latest measurement and
    assessment of each (``sparkline_points`` reads the points of the rows on screen)."""
    metrics, latest_ids, assessment_ids, regressions = _fact_metrics([p.pk for p in programmes])
    headlines: dict[int, FactMetric] = {}
    others: dict[int, list[FactMetric]] = {}
    for metric in metrics:
        if metric.is_headline:
            headlines[metric.programme_id] = metric
        else:
            others.setdefault(metric.programme_id, []).append(metric)
    measurements = Measurement.objects.filter(AnyOf(F("id"), latest_ids)).values_list(
        "metric_id", "value", "measured_at", "model_version"
    )
    latest = {
        pk: rules.Point(value, at, model) for pk, value, at, model in plain_rows(measurements)
    }
    assessments = Assessment.objects.filter(AnyOf(F("id"), assessment_ids)).values_list(
        "metric_id", "confidence", "rag_override", "reason"
    )
    assessed = {
        pk: (confidence, override, reason) for pk, confidence, override, reason in assessments
    }
    slips = _target_slips(list(headlines.values()))
    unmeasured: dict[Decimal | None, rules.UnitEconomics] = {}
    facts = {}
    for programme in programmes:
        headline = headlines.get(programme.pk)
        status = None
        if headline:
            status = _status(
                headline,
                latest.get(headline.pk),
                regressions.get(headline.pk),
                assessed.get(headline.pk),
                now,
            )
        slip = slips.get(headline.pk) if headline else None
        if headline and status and slip:
            slip = replace(
                slip,
                original_progress=rules.progress(
                    status.current, baseline=headline.baseline_value, target=slip.original_value
                ),
            )
        facts[programme.pk] = ScorecardFacts(
            headline=headline,
            status=status,
            economics=_economics(
                programme, [headline, *others.get(programme.pk, ())], latest, unmeasured
            ),
            slip=slip,
        )
    return facts
