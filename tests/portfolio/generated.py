"""A portfolio of any size in bulk, for the query-count tests and the dashboard benchmark:
each programme with a headline and its history, cost metrics, a primary rotation, incidents,
the default readiness criteria and a review round (approved in production), weekly reviews held
and missed, and overdue review actions."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from governance.models import (
    ActionItem,
    Criterion,
    CriterionStatus,
    DefinitionVersion,
    ReadinessReview,
    Review,
    ReviewStatus,
    SignOff,
    SignOffDecision,
    SignoffRole,
)
from governance.readiness_rules import DEFAULT_CRITERIA
from incidents.models import Incident, IncidentStatus, Severity
from oncall.models import Rotation, RotationVersion, ShiftKind
from programmes.models import Person, Programme, Stage
from scorecards.models import Measurement, Metric, MetricKind

STAGES = (Stage.PILOT, Stage.READINESS_REVIEW, Stage.PRODUCTION)


def generate(count: int, *, prefix: str = "gen") -> list[Programme]:
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(name=f"{prefix} person {n}", email=f"{prefix}{n}@example.com") for n in range(4)
    )
    programmes = Programme.objects.bulk_create(
        Programme(
            name=f"{prefix} programme {n:05d}",
            slug=f"{prefix}-{n:05d}",
            business_unit=f"Unit {n % 7}",
            stage=STAGES[n % 3],
            cost_envelope=Decimal(10000),
            programme_owner=people[n % 4],
            executive_sponsor=people[(n + 1) % 4],
        )
        for n in range(count)
    )
    today = now.date()
    metrics = Metric.objects.bulk_create(
        Metric(
            programme=programme,
            name=name,
            kind=kind,
            is_headline=kind == MetricKind.EVALUATION,
            baseline_value=Decimal(70),
            baseline_date=today - dt.timedelta(days=200),
            target_value=Decimal(90),
            target_date=today + dt.timedelta(days=200),
        )
        for programme in programmes
        for name, kind in (
            ("Accuracy", MetricKind.EVALUATION),
            ("Cost per task", MetricKind.COST_PER_TASK),
            ("Tasks a month", MetricKind.TASK_VOLUME),
        )
    )
    Measurement.objects.bulk_create(
        Measurement(
            metric=metric,
            value=Decimal(70 + (metric.pk * 7 + week) % 25),
            measured_at=now - dt.timedelta(days=7 * week + metric.pk % 20),
        )
        for metric in metrics
        for week in range(6)
    )
    rotations = Rotation.objects.bulk_create(
        Rotation(programme=programme, name="Primary") for programme in programmes
    )
    RotationVersion.objects.bulk_create(
        RotationVersion(
            rotation=rotation,
            effective_from=now - dt.timedelta(days=30),
            anchor=now - dt.timedelta(days=30),
            timezone="Europe/London",
            shift_kind=ShiftKind.WEEKLY,
            handoff_time=dt.time(9, 0),
            member_ids=[people[0].pk, people[1].pk] if n % 5 else [],
        )
        for n, rotation in enumerate(rotations)
    )
    Incident.objects.bulk_create(
        Incident(
            programme=programme,
            title=f"Incident {n}",
            severity=(Severity.SEV2, Severity.SEV3, Severity.SEV4)[n % 3],
            status=IncidentStatus.TRIGGERED if n % 2 else IncidentStatus.RESOLVED,
            opened_at=now - dt.timedelta(hours=n % 48),
            resolved_at=None if n % 2 else now - dt.timedelta(hours=1),
        )
        for n, programme in enumerate(programmes)
    )
    _governance(programmes, people, now)
    return programmes


def _governance(programmes: list[Programme], people: list[Person], now: dt.datetime) -> None:
    DefinitionVersion.objects.bulk_create(
        DefinitionVersion(
            programme=programme,
            number=1,
            text="Ready when the criteria are met.",
            agreed_on=now.date() - dt.timedelta(days=60),
        )
        for programme in programmes
    )
    Criterion.objects.bulk_create(
        Criterion(
            programme=programme,
            pillar=default.pillar,
            title=default.title,
            evidence_check=default.evidence_check,
            status=CriterionStatus.MET if n % 2 else CriterionStatus.IN_PROGRESS,
            position=position,
        )
        for n, programme in enumerate(programmes)
        for position, default in enumerate(DEFAULT_CRITERIA)
    )
    rounds = ReadinessReview.objects.bulk_create(
        ReadinessReview(programme=programme, round=1) for programme in programmes
    )
    SignOff.objects.bulk_create(
        SignOff(
            review=review,
            role=role,
            signer=people[index],
            decision=SignOffDecision.APPROVED
            if review.programme.stage == Stage.PRODUCTION
            else SignOffDecision.PENDING,
            decided_at=now - dt.timedelta(days=30),
            attested_at=now - dt.timedelta(days=30),
            # Every seventh programme's approvals have lapsed.
            expires_at=now + dt.timedelta(days=-1 if n % 7 == 0 else 335),
        )
        for n, review in enumerate(rounds)
        for index, role in enumerate(SignoffRole.values)
    )
    reviews = Review.objects.bulk_create(
        Review(
            programme=programme,
            scheduled_for=now - dt.timedelta(days=7 * week, hours=n % 24),
            timezone="Europe/London",
            missed_after=now - dt.timedelta(days=7 * week, hours=n % 24 - 12),
            remind_at=now - dt.timedelta(days=7 * week + 1),
            status=ReviewStatus.MISSED if (n // 3 + week) % 3 else ReviewStatus.HELD,
            closed_at=now - dt.timedelta(days=7 * week, hours=n % 24 - 12),
        )
        for n, programme in enumerate(programmes)
        for week in range(1, 4)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            programme=review.programme,
            raised_in=review,
            title="Refresh the golden set",
            owner=people[n % 4],
            due_on=now.date() - dt.timedelta(days=2),
        )
        for n, review in enumerate(reviews)
        if n % 4 == 0
    )
