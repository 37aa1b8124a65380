"""A portfolio of any size in bulk, for the query-count tests and the dashboard benchmark:
each programme with a headline and its history, cost metrics, a primary rotation and incidents."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

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
    return programmes
