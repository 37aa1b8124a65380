"""Reads about metrics and measurements, always through the programmes a user may see."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from programmes.any_of import AnyOf
from programmes.models import ACTIVE_STAGES, Programme
from programmes.plain_rows import plain_rows
from programmes.rules import Access
from programmes.selectors import programme_access, visible_programme, visible_programmes

from . import rules
from .models import Assessment, Measurement, Metric, MetricKind, Regression

# Enough recent measurements for the longest regression window, plus the latest itself.
RECENT_MEASUREMENTS = 51


def with_status_data(
    metrics: QuerySet[Metric], *, recent: int = RECENT_MEASUREMENTS
) -> QuerySet[Metric]:
    """Metrics with what their status needs, in a fixed number of queries for any number, with
    their ``recent`` latest measurements (the status itself needs only the latest)."""
    return metrics.select_related("programme", "owner", "agreed_by").prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.order_by("-measured_at", "-id")[:recent],
            to_attr="recent_measurements",
        ),
        Prefetch(
            "regressions",
            queryset=Regression.objects.filter(closed_at__isnull=True),
            to_attr="open_regressions",
        ),
        Prefetch(
            "assessments",
            queryset=Assessment.objects.select_related("by").order_by("-at", "-id")[:1],
            to_attr="latest_assessments",
        ),
    )


def visible_metrics(user: Any) -> QuerySet[Metric]:
    """Metrics of the programmes ``user`` may see, ready for ``status_of``."""
    return with_status_data(Metric.objects.filter(programme__in=visible_programmes(user)))


def programme_metrics(programme: Programme) -> QuerySet[Metric]:
    """A programme's metrics, headline first, ready for ``status_of``."""
    return with_status_data(programme.metrics.all())


def get_metric_for_user(user: Any, metric_id: int | str) -> tuple[Metric, Access]:
    """The metric and the user's access to its programme; 404 when they may not see it."""
    programme_ids = visible_programmes(user).values("pk")
    metric = (
        with_status_data(Metric.objects.filter(programme__in=programme_ids))
        .filter(pk=metric_id)
        .first()
    )
    if metric is None:
        raise Http404("No such metric.")
    programme = visible_programme(user, metric.programme_id)
    return metric, programme_access(user, programme)


def recent_points(metric: Metric) -> list[rules.Point]:
    """The metric's recent points, newest first (from ``with_status_data``'s prefetch)."""
    recent = getattr(metric, "recent_measurements", None)
    if recent is None:
        recent = list(metric.measurements.order_by("-measured_at", "-id")[:RECENT_MEASUREMENTS])
    return [rules.Point(m.value, m.measured_at, m.model_version) for m in recent]


def status_of(metric: Metric, now: dt.datetime) -> rules.MetricStatus:
    """The metric's status now, from data ``with_status_data`` loaded."""
    points = recent_points(metric)
    open_regressions = getattr(metric, "open_regressions", None)
    if open_regressions is None:
        open_regressions = list(metric.regressions.filter(closed_at__isnull=True))
    assessments = getattr(metric, "latest_assessments", None)
    if assessments is None:
        assessments = list(metric.assessments.order_by("-at", "-id")[:1])
    assessment = assessments[0] if assessments else None
    return rules.metric_status(
        baseline_value=metric.baseline_value,
        baseline_date=metric.baseline_date,
        target_value=metric.target_value,
        target_date=metric.target_date,
        direction=metric.direction,
        amber_margin=metric.amber_margin,
        staleness_days=metric.staleness_days,
        latest=points[0] if points else None,
        open_regression=open_regressions[0].reason if open_regressions else None,
        confidence=assessment.confidence if assessment else None,
        rag_override=assessment.rag_override if assessment else "",
        override_reason=assessment.reason if assessment and assessment.rag_override else "",
        now=now,
    )


def measurements_between(
    metrics: list[Metric], *, since: dt.datetime | None, until: dt.datetime | None
) -> dict[int, list[Measurement]]:
    """Each metric's measurements in [since, until], oldest first, in one query."""
    rows = Measurement.objects.filter(metric__in=[m.pk for m in metrics])
    if since is not None:
        rows = rows.filter(measured_at__gte=since)
    if until is not None:
        rows = rows.filter(measured_at__lte=until)
    series: dict[int, list[Measurement]] = {m.pk: [] for m in metrics}
    for row in rows.order_by("measured_at", "id").only(
        "id", "metric_id", "value", "measured_at", "model_version", "source", "external_id"
    ):
        series[row.metric_id].append(row)
    return series


def unit_economics_of(programme: Programme, metrics: list[Metric]) -> rules.UnitEconomics:
    """The programme's unit economics from its cost-per-task and task-volume metrics."""
    by_kind: dict[str, Metric] = {}
    for metric in metrics:
        by_kind.setdefault(metric.kind, metric)
    cost = by_kind.get(MetricKind.COST_PER_TASK)
    volume = by_kind.get(MetricKind.TASK_VOLUME)
    cost_points = recent_points(cost) if cost else []
    volume_points = recent_points(volume) if volume else []
    return rules.unit_economics(
        cost_per_task=cost_points[0].value if cost_points else None,
        current_volume=volume_points[0].value if volume_points else None,
        projected_volume=volume.target_value if volume else None,
        envelope=programme.cost_envelope,
    )


def stale_headlines(now: dt.datetime) -> list[tuple[int, int, dt.datetime | None]]:
    """(metric id, owner id, when it was last measured or None) of every headline metric of an
    active programme with an owner that nothing measured within its staleness window: one
    query, the window worked out for each window length in use (``rules.is_stale``)."""
    headlines = Metric.objects.filter(
        is_headline=True, owner__isnull=False, programme__stage__in=ACTIVE_STAGES
    ).annotate(
        latest=Subquery(
            Measurement.objects.filter(metric=OuterRef("pk"))
            .order_by("-measured_at")
            .values("measured_at")[:1]
        )
    )
    windows = headlines.order_by().values_list("staleness_days", flat=True).distinct()
    stale_when = [
        Q(staleness_days=days, latest__lt=now - dt.timedelta(days=days)) for days in windows
    ]
    if not stale_when:
        return []
    stale = headlines.filter(Q(latest__isnull=True) | reduce(or_, stale_when))
    return list(stale.order_by("pk").values_list("pk", "owner_id", "latest"))


def metrics_with_programme_and_owner(ids: list[int]) -> dict[int, Metric]:
    return {
        metric.pk: metric
        for metric in Metric.objects.filter(pk__in=ids).select_related("programme", "owner")
    }


def headlines_by_programme(programme_ids: list[int]) -> dict[int, Metric]:
    """Each programme's headline metric, ready for ``status_of`` (its latest measurement only),
    in a fixed number of queries."""
    headlines = with_status_data(
        Metric.objects.filter(is_headline=True, programme_id__in=programme_ids), recent=1
    )
    return {metric.programme_id: metric for metric in headlines}


@dataclass(frozen=True)
class HeadlineStanding:
    """A programme's headline metric as a portfolio-wide list needs it: name, target, status."""

    name: str
    target_value: Decimal
    status: rules.MetricStatus


def _latest(model: Any, field: str, order: tuple[str, ...], **match: Any) -> Subquery:
    return Subquery(
        model.objects.filter(metric=OuterRef("pk"), **match).order_by(*order).values(field)[:1]
    )


def headline_standings(programmes: QuerySet[Programme], now: dt.datetime) -> dict[int, Any]:
    """Each programme's headline standing, from plain rows in one query (the latest
    measurement, the open regression and the latest assessment read alongside), for every
    programme of a portfolio at once."""
    newest = ("-measured_at", "-id")
    newest_assessment = ("-at", "-id")
    rows = (
        Metric.objects.filter(is_headline=True, programme__in=programmes)
        .annotate(
            latest_value=_latest(Measurement, "value", newest),
            latest_at=_latest(Measurement, "measured_at", newest),
            latest_model=_latest(Measurement, "model_version", newest),
            regression=_latest(Regression, "reason", ("-opened_at",), closed_at__isnull=True),
            confidence=_latest(Assessment, "confidence", newest_assessment),
            rag_override=_latest(Assessment, "rag_override", newest_assessment),
            override_reason=_latest(Assessment, "reason", newest_assessment),
        )
        .values(
            "programme_id",
            "name",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "direction",
            "amber_margin",
            "staleness_days",
            "latest_value",
            "latest_at",
            "latest_model",
            "regression",
            "confidence",
            "rag_override",
            "override_reason",
        )
    )
    standings = {}
    for row in rows:
        latest = (
            None
            if row["latest_at"] is None
            else rules.Point(row["latest_value"], row["latest_at"], row["latest_model"])
        )
        override = row["rag_override"] or ""
        standings[row["programme_id"]] = HeadlineStanding(
            name=row["name"],
            target_value=row["target_value"],
            status=rules.metric_status(
                baseline_value=row["baseline_value"],
                baseline_date=row["baseline_date"],
                target_value=row["target_value"],
                target_date=row["target_date"],
                direction=row["direction"],
                amber_margin=row["amber_margin"],
                staleness_days=row["staleness_days"],
                latest=latest,
                open_regression=row["regression"],
                confidence=row["confidence"],
                rag_override=override,
                override_reason=(row["override_reason"] or "") if override else "",
                now=now,
            ),
        )
    return standings


@dataclass(frozen=True)
class ScorecardChange:
    programme_id: int
    at: dt.datetime
    text: str


def scorecard_changes(programme_ids: list[int], since: dt.datetime) -> list[ScorecardChange]:
    """RAG changes of these programmes' headlines since ``since``: the owners' overrides and
    regressions opened and closed. Two queries, the ids as one array, of plain rows."""
    changes = []
    in_programmes = AnyOf(F("metric__programme_id"), programme_ids)
    assessments = Assessment.objects.filter(
        in_programmes, metric__is_headline=True, at__gte=since
    ).values_list("metric__programme_id", "metric__name", "at", "rag_override", "computed_rag")
    for pid, name, at, override, computed in plain_rows(assessments):
        rag = override or f"{computed} (computed)"
        changes.append(ScorecardChange(pid, at, f"owner's RAG for {name}: {rag}"))
    regressions = (
        Regression.objects.filter(in_programmes, metric__is_headline=True)
        .filter(Q(opened_at__gte=since) | Q(closed_at__gte=since))
        .values_list("metric__programme_id", "metric__name", "opened_at", "reason", "closed_at")
    )
    for pid, name, opened_at, reason, closed_at in plain_rows(regressions):
        if opened_at >= since:
            changes.append(ScorecardChange(pid, opened_at, f"{name} turned red: {reason}"))
        if closed_at is not None and closed_at >= since:
            changes.append(ScorecardChange(pid, closed_at, f"{name}'s regression closed"))
    return changes
