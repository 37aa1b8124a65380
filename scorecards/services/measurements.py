"""Measurements: one by hand, or a batch from the evaluation harness, idempotent by external id."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError
from programmes.numbers import plain_number
from programmes.registry.data_changes import MEASUREMENTS, programme_data_changed
from programmes.rules import Access

from .. import rules
from ..access import require_may_record_measurements
from ..models import (
    VALUE_PLACES,
    Measurement,
    MeasurementSource,
    Metric,
)
from .alerts import reassess

# The most measurements one request may carry; larger histories go in several requests.
MAX_BATCH = 5000


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
    require_may_record_measurements(access)
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
        reassess(locked, now=now)
        programme_data_changed(locked.programme_id, MEASUREMENTS)
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


def source_for(actor: Any) -> str:
    """Where a measurement posted through the API comes from: the harness (a programme token)
    or a person's client."""
    if getattr(actor, "programme_token", None) is not None:
        return MeasurementSource.EVALUATION_RUN
    return MeasurementSource.API
