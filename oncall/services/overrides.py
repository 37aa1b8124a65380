"""Overrides: someone else on call for a while, never two at once."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit
from programmes.errors import DomainError
from programmes.models import Person
from programmes.rules import Access
from programmes.times import current_zone, for_message

from ..access import require_may_change_rotations
from ..models import (
    CoverRequest,
    CoverStatus,
    Override,
    Rotation,
)
from .periods import check_window, from_now


def refuse_overlap(
    rotation_id: int, start: dt.datetime, end: dt.datetime, *, other_than: int | None = None
) -> None:
    overlapping = Override.objects.filter(rotation_id=rotation_id, start__lt=end, end__gt=start)
    if other_than is not None:
        overlapping = overlapping.exclude(pk=other_than)
    clash = overlapping.select_related("person").first()
    if clash is not None:
        zone = current_zone()
        raise DomainError(
            f"This overlaps {clash.person}'s override from {for_message(clash.start, zone)} to "
            f"{for_message(clash.end, zone)}; change or remove that one first.",
            field="start",
        )


@transaction.atomic
def create_override(
    *,
    actor: Any,
    rotation: Rotation,
    access: Access,
    person: Person,
    start: dt.datetime,
    end: dt.datetime,
    reason: str = "",
) -> Override:
    """Put ``person`` on call for [start, end) over the rotation. Overrides never overlap."""
    require_may_change_rotations(access)
    return write_override(
        actor=actor, rotation=rotation, person=person, start=start, end=end, reason=reason
    )


def write_override(
    *,
    actor: Any,
    rotation: Rotation,
    person: Person,
    start: dt.datetime,
    end: dt.datetime,
    reason: str,
) -> Override:
    check_window(start, end)
    start = from_now(start)
    # The rotation's row lock makes two overlapping overrides at once take turns.
    locked = Rotation.objects.select_for_update().select_related("programme").get(pk=rotation.pk)
    refuse_overlap(locked.pk, start, end)
    override = Override.objects.create(
        rotation=locked,
        person=person,
        start=start,
        end=end,
        reason=reason,
        created_by=audit.acting_user(actor),
    )
    audit.record(
        actor=actor,
        action="create",
        instance=override,
        programme=locked.programme,
        after=audit.snapshot(override),
    )
    return override


@transaction.atomic
def update_override(*, actor: Any, override: Override, access: Access, **changes: Any) -> Override:
    """Move an override or hand it to someone else; it still may not overlap another."""
    require_may_change_rotations(access)
    locked = Override.objects.select_for_update().get(pk=override.pk)
    Rotation.objects.select_for_update().get(pk=locked.rotation_id)
    before = audit.snapshot(locked)
    now = timezone.now()
    if locked.start < now and any(
        name in changes and changes[name] != getattr(locked, name) for name in ("person", "start")
    ):
        raise DomainError(
            "This override has begun: its person and start stay; change its end, or add a new "
            "override from now.",
            field="start",
        )
    for name in ("person", "start", "end", "reason"):
        if name in changes:
            setattr(locked, name, changes[name])
    check_window(locked.start, locked.end)
    if "start" in changes:
        locked.start = from_now(locked.start)
    refuse_overlap(locked.rotation_id, locked.start, locked.end, other_than=locked.pk)
    locked.save()
    audit.record_update(
        actor=actor, instance=locked, programme=override.rotation.programme, before=before
    )
    return locked


@transaction.atomic
def delete_override(*, actor: Any, override: Override, access: Access) -> None:
    """Remove an override. One that came from an accepted cover request reopens the request, so
    the stretch is asked for again rather than silently uncovered."""
    require_may_change_rotations(access)
    CoverRequest.objects.filter(override=override).update(
        status=CoverStatus.OPEN, accepted_by=None, override=None
    )
    audit.record(
        actor=actor,
        action="delete",
        instance=override,
        programme=override.rotation.programme,
        before=audit.snapshot(override),
    )
    override.delete()
