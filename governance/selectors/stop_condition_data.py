"""What stop-condition rules judge, loaded in bulk: for any number of programmes, a fixed
number of queries (programmes, metrics, measurements, incidents, one per kind with data of its
own)."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from incidents.models import Incident
from programmes.any_of import AnyOf
from programmes.models import Programme
from scorecards.models import Measurement, Metric

from ..stop_condition_rules import (
    IncidentData,
    MetricData,
    Needs,
    Point,
    ProgrammeData,
    RuleContext,
    rule_kinds,
)

DAY = dt.timedelta(days=1)


def _metric_data(metric: Metric, points: tuple[Point, ...] = ()) -> MetricData:
    return MetricData(
        id=metric.pk,
        name=metric.name,
        unit=metric.unit,
        kind=metric.kind,
        is_headline=metric.is_headline,
        direction=metric.direction,
        baseline_value=metric.baseline_value,
        baseline_date=metric.baseline_date,
        target_value=metric.target_value,
        target_date=metric.target_date,
        points=points,
    )


def rule_context(programme: Programme, today: dt.date) -> RuleContext:
    """What checking a rule for ``programme`` needs."""
    metrics = {m.pk: _metric_data(m) for m in Metric.objects.filter(programme=programme)}
    return RuleContext(metrics=metrics, cost_envelope=programme.cost_envelope, today=today)


def programme_data(
    programme_ids: list[int],
    *,
    needs: Needs,
    now: dt.datetime,
    kinds: set[str] | None = None,
) -> dict[int, ProgrammeData]:
    """Each programme's data as its rules need it, as of ``now``: the latest ``needs.count``
    measurements of every metric and all of the last ``needs.days`` days, the incidents of the
    last ``needs.incident_days``, and what the kinds in ``kinds`` load for themselves."""
    if not programme_ids:
        return {}
    programmes = Programme.objects.filter(AnyOf(F("pk"), programme_ids)).only(
        "id", "review_timezone", "created_at", "cost_envelope", "cost_currency"
    )
    metrics = list(Metric.objects.filter(AnyOf(F("programme_id"), programme_ids)))
    points: dict[int, list[Point]] = defaultdict(list)
    if metrics:
        ranked = (
            Measurement.objects.filter(
                AnyOf(F("metric_id"), [m.pk for m in metrics]), measured_at__lte=now
            )
            .annotate(
                newest=Window(
                    RowNumber(),
                    partition_by=[F("metric_id")],
                    order_by=[F("measured_at").desc(), F("id").desc()],
                )
            )
            .filter(
                Q(newest__lte=needs.count) | Q(measured_at__gt=now - needs.days * DAY)
                if needs.days
                else Q(newest__lte=needs.count)
            )
            .order_by("metric_id", "-measured_at", "-id")
            .values_list("metric_id", "id", "value", "measured_at")
        )
        for metric_id, point_id, value, measured_at in ranked:
            points[metric_id].append(Point(point_id, value, measured_at))
    by_programme: dict[int, dict[int, MetricData]] = defaultdict(dict)
    for metric in metrics:
        by_programme[metric.programme_id][metric.pk] = _metric_data(
            metric, tuple(points.get(metric.pk, ()))
        )
    incidents: dict[int, list[IncidentData]] = defaultdict(list)
    if needs.incident_days:
        rows = Incident.objects.filter(
            AnyOf(F("programme_id"), programme_ids),
            opened_at__gt=now - needs.incident_days * DAY,
            opened_at__lte=now,
        ).values_list("programme_id", "id", "title", "severity", "opened_at")
        for programme_id, incident_id, title, severity, opened_at in rows:
            incidents[programme_id].append(IncidentData(incident_id, title, severity, opened_at))
    extra: dict[int, dict[str, Any]] = defaultdict(dict)
    for kind in rule_kinds():
        if kind.load is not None and (kinds is None or kind.key in kinds):
            for programme_id, loaded in kind.load(programme_ids, now).items():
                extra[programme_id][kind.key] = loaded
    return {
        programme.pk: ProgrammeData(
            programme_id=programme.pk,
            timezone=programme.review_timezone,
            created_at=programme.created_at,
            cost_envelope=programme.cost_envelope,
            currency=programme.cost_currency,
            metrics=by_programme.get(programme.pk, {}),
            incidents=tuple(incidents.get(programme.pk, ())),
            extra=extra.get(programme.pk, {}),
        )
        for programme in programmes
    }
