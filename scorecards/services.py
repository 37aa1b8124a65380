"""Writes to scorecards. Each runs in one transaction with its audit event and its alerts, and
refuses with a ``DomainError`` whose message is fit for a user."""

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError, FieldErrors, NotAllowed
from programmes.models import Person, Programme
from programmes.notifications import notify
from programmes.numbers import plain_number
from programmes.rules import Access
from programmes.selectors import leadership_people
from programmes.services import full_clean_or_refuse, validation_errors
from programmes.times import for_message

from . import rules, selectors
from .models import (
    VALUE_PLACES,
    Assessment,
    Measurement,
    MeasurementSource,
    Metric,
    MetricKind,
    Rag,
    Regression,
)
from .notification_kinds import COST_ENVELOPE, METRIC_REGRESSION

# Changing any of these after the scorecard was agreed needs a reason, kept in the audit trail.
AGREED_FIELDS = ("baseline_value", "baseline_date", "target_value", "target_date", "direction")
# The most measurements one request may carry; larger histories go in several requests.
MAX_BATCH = 5000
METRIC_DATES = ("baseline_date", "target_date", "agreed_on")


def _require_edit(access: Access) -> None:
    if not access.can_edit:
        raise NotAllowed("Only the programme's editors and owners can change its scorecard.")


def _far_date_errors(metric: Metric, stored: Metric | None) -> dict[str, list[str]]:
    """The metric's dates outside ``bounds.SCORECARD``. A date that ``stored`` (the metric as
    saved) already has stays acceptable: a far date from before the window stops no other edit."""
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    for name in METRIC_DATES:
        value = getattr(metric, name)
        if not isinstance(value, dt.date) or (stored and getattr(stored, name) == value):
            continue
        why = bounds.refusal(value, bounds.SCORECARD, now)
        if why:
            errors[name] = [why]
    return errors


def check_metric(metric: Metric, *, stored: Metric | None = None) -> None:
    """The rules a metric must satisfy, for the pages, the API and the admin alike; every
    refusal is reported at once. ``stored`` is the metric as saved, when it is a change."""
    errors = validation_errors(metric, validate_unique=False, validate_constraints=False)
    for field, messages in _far_date_errors(metric, stored).items():
        errors.setdefault(field, []).extend(messages)
    if not errors.keys() & {
        "direction",
        "baseline_value",
        "target_value",
        "baseline_date",
        "target_date",
    }:
        for field, message in rules.target_refusals(
            direction=metric.direction,
            baseline_value=Decimal(metric.baseline_value),
            target_value=Decimal(metric.target_value),
            baseline_date=metric.baseline_date,
            target_date=metric.target_date,
        ):
            errors.setdefault(field, []).append(message)
    if metric.agreed_by_id is not None:
        if not leadership_people().filter(pk=metric.agreed_by_id).exists():
            errors.setdefault("agreed_by", []).append(
                "A scorecard is agreed with leadership: choose a person in the leadership group."
            )
        if metric.agreed_on is None:
            errors.setdefault("agreed_on", []).append("Say when the scorecard was agreed.")
    others = Metric.objects.filter(programme=metric.programme_id).exclude(pk=metric.pk)
    if metric.is_headline and others.filter(is_headline=True).exists():
        errors.setdefault("is_headline", []).append(
            "This programme already has a headline metric; a programme is judged by one number. "
            "Make this one secondary, or make the other one secondary first."
        )
    if others.filter(name=metric.name).exists():
        errors.setdefault("name", []).append(
            f"This programme already has a metric called “{metric.name}”."
        )
    if errors:
        raise FieldErrors(errors)


def agreed_change_refusal(
    *, was_agreed: bool, before: dict[str, Any], after: dict[str, Any], reason: str
) -> str | None:
    """Why a metric cannot change from the snapshot ``before`` to ``after``: its agreed
    baseline, target or direction moves without a reason. None when it can."""
    if not was_agreed or reason.strip():
        return None
    _, changed_after = audit.changed_fields(before, after)
    if set(changed_after) & set(AGREED_FIELDS):
        return "The baseline and target were agreed with leadership; say why they change."
    return None


@transaction.atomic
def create_metric(*, actor: Any, programme: Programme, access: Access, **fields: Any) -> Metric:
    """Add a metric to a programme's scorecard."""
    _require_edit(access)
    # Taking the programme's row lock makes two "first headline" requests take turns.
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    metric = Metric(programme=locked, **fields)
    check_metric(metric)
    metric.save()
    audit.record(
        actor=actor,
        action="create",
        instance=metric,
        programme=locked,
        after=audit.snapshot(metric),
    )
    return metric


@transaction.atomic
def update_metric(
    *, actor: Any, metric: Metric, access: Access, reason: str = "", **changes: Any
) -> Metric:
    """Change a metric. Once agreed, its baseline and target change only with a reason."""
    _require_edit(access)
    Programme.objects.select_for_update().get(pk=metric.programme_id)
    locked = Metric.objects.select_for_update().get(pk=metric.pk)
    before = audit.snapshot(locked)
    was_agreed = locked.is_agreed
    stored = copy.copy(locked)
    for name, value in changes.items():
        if name in {"id", "programme", "created_at", "updated_at"}:
            raise DomainError(f"{name} cannot be changed.", field=name)
        setattr(locked, name, value)
    check_metric(locked, stored=stored)
    reason = reason.strip()
    after = audit.snapshot(locked)
    refusal = agreed_change_refusal(
        was_agreed=was_agreed, before=before, after=after, reason=reason
    )
    if refusal:
        raise DomainError(refusal, field="reason")
    changed_before, changed_after = audit.changed_fields(before, after)
    locked.save()
    if changed_after:
        audit.record(
            actor=actor,
            action="update",
            instance=locked,
            programme=locked.programme,
            before=changed_before,
            after={**changed_after, **({"reason": reason} if reason else {})},
        )
    _reassess(locked, now=timezone.now())
    return locked


@transaction.atomic
def delete_metric(*, actor: Any, metric: Metric, access: Access) -> None:
    """Remove a metric and its measurements."""
    _require_edit(access)
    audit.record(
        actor=actor,
        action="delete",
        instance=metric,
        programme=metric.programme,
        before={**audit.snapshot(metric), "measurements": metric.measurements.count()},
    )
    metric.delete()


@transaction.atomic
def promote_baseline(
    *,
    actor: Any,
    metric: Metric,
    access: Access,
    value: Decimal,
    baseline_date: dt.date,
    reason: str,
) -> Metric:
    """Make a new baseline, explicitly and on the record: baselines never drift on their own."""
    _require_edit(access)
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the baseline moves; the reason is kept with it.", field="reason")
    locked = Metric.objects.select_for_update().get(pk=metric.pk)
    stored = copy.copy(locked)
    before = {
        "baseline_value": audit.snapshot(locked)["baseline_value"],
        "baseline_date": locked.baseline_date.isoformat(),
    }
    locked.baseline_value = value
    locked.baseline_date = baseline_date
    check_metric(locked, stored=stored)
    locked.save(update_fields=["baseline_value", "baseline_date", "updated_at"])
    audit.record(
        actor=actor,
        action="promote_baseline",
        instance=locked,
        programme=locked.programme,
        before=before,
        after={
            "baseline_value": audit.snapshot(locked)["baseline_value"],
            "baseline_date": baseline_date.isoformat(),
            "reason": reason,
        },
    )
    _reassess(locked, now=timezone.now())
    return locked


@dataclass(frozen=True)
class NewMeasurement:
    """One measurement as a page, the API or a CSV row gives it, already parsed."""

    value: Decimal
    measured_at: dt.datetime
    external_id: str = ""
    model_version: str = ""
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class IngestConflict:
    """A measurement whose run id the metric already has with another value: not recorded, the
    stored value stays. ``index`` is its position in the batch."""

    index: int
    external_id: str
    value: Decimal
    existing_value: Decimal


@dataclass(frozen=True)
class IngestResult:
    created: int
    existing: int
    conflicts: tuple[IngestConflict, ...] = ()


class MeasurementsRefused(DomainError):
    """Some measurements of a batch are refused; ``problems`` maps each one's position to
    (field, why). Nothing of the batch was saved."""

    def __init__(self, problems: dict[int, tuple[str, str]]) -> None:
        first = min(problems)
        field, message = problems[first]
        super().__init__(f"Measurement {first + 1}: {message}", field=field)
        self.problems = problems


def measurement_refusal(measurement: NewMeasurement, now: dt.datetime) -> tuple[str, str] | None:
    """(field, why) when one measurement is refused before it meets the database, or None."""
    if not measurement.value.is_finite():
        return "value", "The value must be a number."
    if abs(measurement.value) >= Decimal(10) ** 14:
        return "value", "The value is too large."
    refusal = rules.future_refusal(measurement.measured_at, now) or bounds.refusal(
        measurement.measured_at, bounds.SCORECARD, now
    )
    return ("measured_at", refusal) if refusal else None


@transaction.atomic
def record_measurements(
    *,
    actor: Any,
    metric: Metric,
    access: Access,
    measurements: Iterable[NewMeasurement],
    source: str,
) -> IngestResult:
    """Record a batch of measurements, all or nothing.

    A measurement whose ``external_id`` the metric already has (or an earlier one of the batch
    has) is skipped, not duplicated: counted as existing when its value is the same, reported as
    a conflict when it is not (the stored value stays). Afterwards the metric's regression state
    and the programme's cost envelope are re-checked, which alerts the owners once per
    regression or breach.
    """
    if not access.can_add_measurements:
        raise NotAllowed("Only the programme's editors and owners can record measurements.")
    batch = list(measurements)
    if len(batch) > MAX_BATCH:
        raise DomainError(f"Send at most {MAX_BATCH} measurements per request.")
    now = timezone.now()
    problems = {
        index: refusal
        for index, measurement in enumerate(batch)
        if (refusal := measurement_refusal(measurement, now))
    }
    if problems:
        raise MeasurementsRefused(problems)
    # The metric's row lock makes two deliveries of the same run take turns, so the second
    # sees the first's external ids and the counts stay exact.
    locked = (
        Metric.objects.select_for_update(of=("self",))
        .select_related("programme", "programme__programme_owner", "owner")
        .get(pk=metric.pk)
    )
    given_ids = {m.external_id for m in batch if m.external_id}
    known: dict[str, Decimal] = dict(
        Measurement.objects.filter(metric=locked, external_id__in=given_ids).values_list(
            "external_id", "value"
        )
    )
    label = audit.actor_label(actor)
    new_rows = []
    conflicts = []
    for index, measurement in enumerate(batch):
        if measurement.external_id:
            stored = known.get(measurement.external_id)
            if stored is not None:
                if stored != _as_stored(measurement.value):
                    conflicts.append(
                        IngestConflict(
                            index=index,
                            external_id=measurement.external_id,
                            value=measurement.value,
                            existing_value=stored,
                        )
                    )
                continue
            known[measurement.external_id] = _as_stored(measurement.value)
        new_rows.append(
            Measurement(
                metric=locked,
                value=measurement.value,
                measured_at=measurement.measured_at,
                source=measurement.source or source,
                external_id=measurement.external_id,
                model_version=measurement.model_version,
                note=measurement.note,
                recorded_by=label[:150],
            )
        )
    Measurement.objects.bulk_create(new_rows)
    result = IngestResult(
        created=len(new_rows),
        existing=len(batch) - len(new_rows) - len(conflicts),
        conflicts=tuple(conflicts),
    )
    if new_rows:
        audit.record(
            actor=actor,
            action="record_measurements",
            instance=locked,
            programme=locked.programme,
            after={
                "created": result.created,
                "existing": result.existing,
                "conflicts": len(conflicts),
                "source": source,
                "first_measured_at": min(r.measured_at for r in new_rows).isoformat(),
                "last_measured_at": max(r.measured_at for r in new_rows).isoformat(),
            },
        )
        _reassess(locked, now=now)
    return result


def record_measurement(
    *, actor: Any, metric: Metric, access: Access, measurement: NewMeasurement, source: str
) -> IngestResult:
    """Record one measurement (a page's form); a run id already recorded with another value is
    refused."""
    try:
        result = record_measurements(
            actor=actor, metric=metric, access=access, measurements=[measurement], source=source
        )
    except MeasurementsRefused as refused:
        field, message = refused.problems[0]
        raise DomainError(message, field=field) from None
    if result.conflicts:
        raise DomainError(conflict_message(result.conflicts[0]), field="external_id")
    return result


def conflict_message(conflict: IngestConflict) -> str:
    """What a page says about a conflict."""
    return (
        f"Run id “{conflict.external_id}” is already recorded with the value "
        f"{plain_number(conflict.existing_value)}, not {plain_number(conflict.value)}; the "
        "recorded value stays."
    )


def _as_stored(value: Decimal) -> Decimal:
    """``value`` rounded as the database keeps it, so a repeat of a run compares equal."""
    return value.quantize(Decimal(1).scaleb(-VALUE_PLACES))


def _reassess(metric: Metric, *, now: dt.datetime) -> None:
    """Open or close the metric's regression from its latest measurement, and check the cost
    envelope when the metric feeds unit economics."""
    _update_regression(metric)
    if metric.kind in (MetricKind.COST_PER_TASK, MetricKind.TASK_VOLUME):
        check_cost_envelope(metric.programme, now=now)


def _update_regression(metric: Metric) -> None:
    recent = list(
        Measurement.objects.filter(metric=metric).order_by("-measured_at", "-id")[
            : metric.regression_window + 1
        ]
    )
    open_regression = Regression.objects.filter(metric=metric, closed_at__isnull=True).first()
    if not recent:
        reason = None
    else:
        latest, previous = recent[0], recent[1:]
        reason = rules.regression_reason(
            latest.value,
            [m.value for m in previous],
            baseline=metric.baseline_value,
            direction=metric.direction,
            tolerance=metric.regression_tolerance,
        )
    if reason is None:
        if open_regression is not None:
            open_regression.closed_at = timezone.now()
            open_regression.save(update_fields=["closed_at"])
        return
    if open_regression is not None:
        return
    regression = Regression.objects.create(
        metric=metric, opened_by=recent[0], opened_at=recent[0].measured_at, reason=reason
    )
    programme = metric.programme
    for person in _metric_people(metric):
        notify(
            recipient=person,
            programme=programme,
            kind=METRIC_REGRESSION,
            occurrence=f"metric-regression:{metric.pk}:{regression.pk}",
            subject=f"{programme.name}: {metric.name} has regressed",
            body=(
                f"{metric.name} regressed on "
                f"{for_message(recent[0].measured_at, person.timezone)}: {reason}."
                + (f" Model/version: {recent[0].model_version}." if recent[0].model_version else "")
                + " The scorecard shows red until a measurement recovers."
            ),
            link=metric.get_absolute_url(),
        )


def _metric_people(metric: Metric) -> list[Person]:
    """The metric's owner and the programme owner, each once."""
    people: dict[int, Person] = {}
    for person in (metric.owner, metric.programme.programme_owner):
        if person is not None:
            people.setdefault(person.pk, person)
    return list(people.values())


def check_cost_envelope(programme: Programme, *, now: dt.datetime) -> bool:
    """Whether the programme's unit economics breach its envelope; the first breach of a month
    tells the cost-per-task metric's owner and the programme owner."""
    metrics = list(
        selectors.programme_metrics(programme).filter(
            kind__in=[MetricKind.COST_PER_TASK, MetricKind.TASK_VOLUME]
        )
    )
    economics = selectors.unit_economics_of(programme, metrics)
    if not economics.breached:
        return False
    month = f"{now:%Y-%m}"
    cost_metric = next(m for m in metrics if m.kind == MetricKind.COST_PER_TASK)
    cost = economics.projected_monthly_cost or economics.current_monthly_cost
    # A breach is a cost over an envelope: both are there.
    assert cost is not None
    assert economics.envelope is not None
    for person in _metric_people(cost_metric):
        notify(
            recipient=person,
            programme=programme,
            kind=COST_ENVELOPE,
            occurrence=f"cost-envelope:{programme.slug}:{month}",
            subject=f"{programme.name}: monthly cost over the envelope",
            body=(
                f"At the latest cost per task, {programme.name} costs {plain_number(cost)} "
                f"{programme.cost_currency} a month against an envelope of "
                f"{plain_number(economics.envelope)} {programme.cost_currency}."
            ),
            link=programme.get_absolute_url() + "scorecard/",
        )
    return True


@transaction.atomic
def record_assessment(
    *,
    actor: Any,
    metric: Metric,
    access: Access,
    confidence: int,
    rag_override: str = "",
    reason: str = "",
) -> Assessment:
    """Record the owner's confidence and, if they disagree with the computed RAG, an override."""
    _require_edit(access)
    reason = reason.strip()
    if rag_override and rag_override not in Rag.values:
        raise DomainError("The override is green, amber or red.", field="rag_override")
    if rag_override and not reason:
        raise DomainError(
            "Say why the RAG is overridden; the reason is shown beside it.", field="reason"
        )
    computed = selectors.status_of(metric, timezone.now()).rag
    assessment = Assessment(
        metric=metric,
        confidence=confidence,
        rag_override=rag_override,
        reason=reason,
        computed_rag=computed,
        by=audit.acting_user(actor),
    )
    full_clean_or_refuse(assessment, exclude=["by"])
    assessment.save()
    audit.record(
        actor=actor,
        action="assess",
        instance=metric,
        programme=metric.programme,
        after={
            "confidence": confidence,
            "rag_override": rag_override or None,
            "computed_rag": computed,
            "reason": reason,
        },
    )
    return assessment


def source_for(actor: Any) -> str:
    """Where a measurement posted through the API comes from: the harness (a programme token)
    or a person's client."""
    if getattr(actor, "programme_token", None) is not None:
        return MeasurementSource.EVALUATION_RUN
    return MeasurementSource.API
