"""Metrics: defined, agreed, changed (with a reason once agreed), deleted, their baseline
promoted."""

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError, FieldErrors
from programmes.models import Programme
from programmes.registry.data_changes import METRIC, programme_data_changed
from programmes.rules import Access
from programmes.selectors import leadership_people
from programmes.services import validation_errors

from .. import rules
from ..access import require_may_change_scorecard
from ..models import (
    Metric,
)
from .alerts import reassess

# Changing any of these after the scorecard was agreed needs a reason, kept in the audit trail.
AGREED_FIELDS = ("baseline_value", "baseline_date", "target_value", "target_date", "direction")


METRIC_DATES = ("baseline_date", "target_date", "agreed_on")


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
    require_may_change_scorecard(access)
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
    programme_data_changed(locked.pk, METRIC)
    return metric


@transaction.atomic
def update_metric(
    *, actor: Any, metric: Metric, access: Access, reason: str = "", **changes: Any
) -> Metric:
    """Change a metric. Once agreed, its baseline and target change only with a reason."""
    require_may_change_scorecard(access)
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
    reassess(locked, now=timezone.now())
    programme_data_changed(locked.programme_id, METRIC)
    return locked


@transaction.atomic
def delete_metric(*, actor: Any, metric: Metric, access: Access) -> None:
    """Remove a metric and its measurements."""
    require_may_change_scorecard(access)
    audit.record(
        actor=actor,
        action="delete",
        instance=metric,
        programme=metric.programme,
        before={**audit.snapshot(metric), "measurements": metric.measurements.count()},
    )
    programme_data_changed(metric.programme_id, METRIC)
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
    require_may_change_scorecard(access)
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
    reassess(locked, now=timezone.now())
    programme_data_changed(locked.programme_id, METRIC)
    return locked
