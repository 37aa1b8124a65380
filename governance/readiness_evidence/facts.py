"""What the other apps hold that readiness checks read, for many programmes at once: a fixed
number of queries however many programmes, rotations or measurements there are."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery

from incidents.models import Runbook
from oncall import schedule
from oncall.models import Rotation
from oncall.selectors import rotations_with_versions, segments_for, versions_of
from programmes.any_of import AnyOf
from programmes.models import OWNER_ROLES, Programme
from programmes.selectors import LEADERSHIP_GROUP
from scorecards.models import Measurement, MeasurementSource, Metric, MetricKind

from ..models import Review, ReviewStatus, StopCondition, StopConditionVersion
from .checks import ROTATION_HORIZON, HeadlineFacts, ProgrammeFacts, RotationFacts

API_SOURCES = (MeasurementSource.API, MeasurementSource.EVALUATION_RUN)


def _fewest_people(versions: list[schedule.Version], start: dt.datetime, end: dt.datetime) -> int:
    in_force = [v for v in versions if v.effective_from <= start][-1:]
    ahead = [v for v in versions if start < v.effective_from < end]
    counts = [len(v.member_ids) for v in in_force + ahead]
    return min(counts) if counts else 0


def _rotations(
    ids: list[int], now: dt.datetime, read: list[Rotation] | None
) -> dict[int, list[RotationFacts]]:
    wanted = set(ids)
    rotations = [
        r
        for r in (rotations_with_versions(ids) if read is None else read)
        if r.programme_id in wanted
    ]
    end = now + ROTATION_HORIZON
    segments = segments_for(rotations, now, end)
    found: dict[int, list[RotationFacts]] = defaultdict(list)
    for rotation in rotations:
        gaps = schedule.gaps(segments[rotation.pk])
        found[rotation.programme_id].append(
            RotationFacts(
                name=rotation.name,
                fewest_people=_fewest_people(versions_of(rotation), now, end),
                first_gap=gaps[0].start if gaps else None,
            )
        )
    return found


def _agreed_by_leadership() -> Exists:
    return Exists(
        Group.user_set.through.objects.filter(
            user_id=OuterRef("agreed_by__user_id"), group__name=LEADERSHIP_GROUP
        )
    )


@dataclass(frozen=True)
class HeadlineAgreement:
    """Who agreed a programme's headline, and on what: all the pilot verdict asks of it."""

    name: str
    baseline: Decimal
    target: Decimal
    agreed_on: dt.date | None
    agreed_by: str | None
    agreed_by_leadership: bool


def headline_agreements(ids: list[int]) -> dict[int, HeadlineAgreement]:
    """Each programme's headline agreement by programme id, as plain rows: the measurements
    that ``headline_facts`` also reads cost more than the rest for a whole portfolio."""
    rows = (
        Metric.objects.filter(AnyOf(F("programme_id"), ids), is_headline=True)
        .annotate(leader_agreed=_agreed_by_leadership())
        .values_list(
            "programme_id",
            "name",
            "baseline_value",
            "target_value",
            "agreed_on",
            "agreed_by__name",
            "leader_agreed",
        )
    )
    return {
        programme_id: HeadlineAgreement(name, baseline, target, on, by, bool(leader))
        for programme_id, name, baseline, target, on, by, leader in rows
    }


def headline_facts(ids: list[int]) -> dict[int, HeadlineFacts]:
    leader = _agreed_by_leadership()
    metrics = (
        Metric.objects.filter(AnyOf(F("programme_id"), ids), is_headline=True)
        .select_related("agreed_by")
        .annotate(
            leader_agreed=leader,
            last_measured=Max("measurements__measured_at"),
            last_api=Max(
                "measurements__created_at", filter=Q(measurements__source__in=API_SOURCES)
            ),
        )
    )
    return {
        metric.programme_id: HeadlineFacts(
            name=metric.name,
            baseline=metric.baseline_value,
            target=metric.target_value,
            agreed_on=metric.agreed_on,
            agreed_by=metric.agreed_by.name if metric.agreed_by else None,
            agreed_by_leadership=bool(metric.leader_agreed),
            last_measured_at=metric.last_measured,
            staleness_days=metric.staleness_days,
            tolerance=metric.regression_tolerance,
            last_api_measurement_at=metric.last_api,
        )
        for metric in metrics
    }


def _last_held_reviews(ids: list[int]) -> dict[int, dt.datetime]:
    return dict(
        Review.objects.filter(AnyOf(F("programme_id"), ids), status=ReviewStatus.HELD)
        .order_by()
        .values("programme_id")
        .annotate(last=Max("held_at"))
        .values_list("programme_id", "last")
    )


def _ruled_stop_conditions(ids: list[int]) -> dict[int, int]:
    """How many conditions each programme has whose version in force (the latest approved)
    has a rule: a condition only written, or whose rule awaits approval, does not count."""
    rule_in_force = (
        StopConditionVersion.objects.filter(condition=OuterRef("pk"), approved_at__isnull=False)
        .order_by("-number")
        .values("rule_kind")[:1]
    )
    return dict(
        StopCondition.objects.filter(AnyOf(F("programme_id"), ids))
        .alias(rule_in_force=Subquery(rule_in_force))
        .filter(rule_in_force__gt="")
        .order_by()
        .values("programme_id")
        .annotate(count=Count("id"))
        .values_list("programme_id", "count")
    )


def programme_facts(
    programmes: Sequence[Programme], now: dt.datetime, rotations: list[Rotation] | None = None
) -> dict[int, ProgrammeFacts]:
    """Each programme's facts by id. The programmes come with their owners loaded;
    ``rotations``, when the caller has read them (``rotations_with_versions``), any superset of
    their rotations."""
    ids = [programme.pk for programme in programmes]
    rotation_facts = _rotations(ids, now, rotations)
    headlines = headline_facts(ids)
    runbooks = dict(
        Runbook.objects.filter(AnyOf(F("programme_id"), ids))
        .values("programme_id")
        .annotate(count=Count("id"))
        .values_list("programme_id", "count")
    )
    cost_measured = dict(
        Measurement.objects.filter(
            AnyOf(F("metric__programme_id"), ids), metric__kind=MetricKind.COST_PER_TASK
        )
        .values("metric__programme_id")
        .annotate(last=Max("measured_at"))
        .values_list("metric__programme_id", "last")
    )
    reviews_held = _last_held_reviews(ids)
    ruled_conditions = _ruled_stop_conditions(ids)
    return {
        programme.pk: ProgrammeFacts(
            now=now,
            rotations=tuple(rotation_facts.get(programme.pk, [])),
            headline=headlines.get(programme.pk),
            runbooks=runbooks.get(programme.pk, 0),
            missing_owner_roles=tuple(
                label for field, label in OWNER_ROLES if getattr(programme, f"{field}_id") is None
            ),
            cost_envelope=programme.cost_envelope,
            cost_per_task_measured_at=cost_measured.get(programme.pk),
            risk_owner=programme.risk_owner.name if programme.risk_owner else None,
            last_review_held_at=reviews_held.get(programme.pk),
            ruled_stop_conditions=ruled_conditions.get(programme.pk, 0),
        )
        for programme in programmes
    }
