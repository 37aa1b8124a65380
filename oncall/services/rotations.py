"""Rotations: created, edited as effective-dated versions, deleted; people whose shifts move
are told."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError
from programmes.models import Person, Programme
from programmes.notifications import notify
from programmes.rules import Access, local_time_to_utc
from programmes.services import full_clean_or_refuse
from programmes.times import for_message, timezone_refusal

from .. import schedule, selectors
from ..access import require_may_change_rotations
from ..models import (
    Rotation,
    RotationVersion,
    ShiftKind,
)
from ..notification_kinds import ROTATION_CHANGED
from .periods import LOOKAHEAD, refuse_outside_schedule

# Fields of a rotation that shape its schedule: changing one adds a version.
SCHEDULE_FIELDS = (
    "timezone",
    "shift_kind",
    "shift_hours",
    "handoff_time",
    "handoff_weekday",
    "member_ids",
)
PLAIN_FIELDS = ("name", "level", "runbook_url")


def _check_cadence(fields: dict[str, Any]) -> None:
    refusal = timezone_refusal(fields["timezone"])
    if refusal:
        raise DomainError(refusal, field="timezone")
    if fields["shift_kind"] not in ShiftKind.values:
        raise DomainError("Shifts are daily, weekly or every N hours.", field="shift_kind")
    if fields["shift_kind"] == ShiftKind.HOURS and not 1 <= fields["shift_hours"] <= 24 * 14:
        raise DomainError("A shift lasts between 1 hour and 14 days.", field="shift_hours")
    if not 0 <= fields["handoff_weekday"] <= 6:
        raise DomainError(
            "The handoff weekday is 0 (Monday) to 6 (Sunday).", field="handoff_weekday"
        )


def _check_members(member_ids: list[int]) -> list[int]:
    if not member_ids:
        raise DomainError("A rotation needs at least one member.", field="member_ids")
    if len(set(member_ids)) != len(member_ids):
        raise DomainError("Each person appears once in a rotation's order.", field="member_ids")
    known = set(Person.objects.filter(pk__in=member_ids).values_list("pk", flat=True))
    unknown = [pid for pid in member_ids if pid not in known]
    if unknown:
        raise DomainError(f"No person with id {unknown[0]}.", field="member_ids")
    return list(member_ids)


def _cadence(fields: dict[str, Any]) -> schedule.Cadence:
    return schedule.Cadence(
        timezone=fields["timezone"],
        shift_kind=fields["shift_kind"],
        shift_hours=fields["shift_hours"],
        handoff_time=fields["handoff_time"],
        handoff_weekday=fields["handoff_weekday"],
    )


def _version_fields(row: RotationVersion) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SCHEDULE_FIELDS}


def _first_handoff_on_or_after(day: dt.date, cadence: schedule.Cadence) -> dt.datetime:
    begin = local_time_to_utc(day, cadence.handoff_time, cadence.timezone)
    return schedule.first_handoff_at_or_after(cadence, begin)


def _snapshot(rotation: Rotation, version: RotationVersion | None) -> dict[str, Any]:
    values = audit.snapshot(rotation)
    if version is not None:
        values.update(
            {
                "timezone": version.timezone,
                "shift_kind": version.shift_kind,
                "shift_hours": version.shift_hours,
                "handoff_time": version.handoff_time.isoformat(),
                "handoff_weekday": version.handoff_weekday,
                "member_ids": list(version.member_ids),
                "effective_from": version.effective_from.isoformat(),
            }
        )
    return values


@transaction.atomic
def create_rotation(
    *,
    actor: Any,
    programme: Programme,
    access: Access,
    start: dt.date,
    member_ids: list[int],
    name: str,
    level: str = "primary",
    runbook_url: str = "",
    timezone_name: str = "UTC",
    shift_kind: str = ShiftKind.WEEKLY,
    shift_hours: int = 24,
    handoff_time: dt.time = dt.time(9, 0),
    handoff_weekday: int = 0,
) -> Rotation:
    """Start a rotation: its first shift begins at the first handoff on or after ``start``."""
    require_may_change_rotations(access)
    fields = {
        "timezone": timezone_name,
        "shift_kind": shift_kind,
        "shift_hours": shift_hours,
        "handoff_time": handoff_time,
        "handoff_weekday": handoff_weekday,
    }
    _check_cadence(fields)
    refuse_outside_schedule(start, "start")
    members = _check_members(member_ids)
    name = name.strip()
    if not name:
        raise DomainError("Name the rotation.", field="name")
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if locked.rotations.filter(name=name).exists():
        raise DomainError(f"This programme already has a rotation called “{name}”.", field="name")
    rotation = Rotation(programme=locked, name=name, level=level, runbook_url=runbook_url)
    full_clean_or_refuse(rotation, validate_unique=False, validate_constraints=False)
    rotation.save()
    anchor = _first_handoff_on_or_after(start, _cadence(fields))
    version = RotationVersion.objects.create(
        rotation=rotation,
        effective_from=anchor,
        anchor=anchor,
        member_ids=members,
        created_by=audit.acting_user(actor),
        **fields,
    )
    audit.record(
        actor=actor,
        action="create",
        instance=rotation,
        programme=locked,
        after=_snapshot(rotation, version),
    )
    return rotation


@transaction.atomic
def update_rotation(
    *, actor: Any, rotation: Rotation, access: Access, start: dt.date | None = None, **changes: Any
) -> Rotation:
    """Change a rotation. A change to its schedule takes effect at the next handoff (a rotation
    yet to start changes from its start), so who was on call stays who was on call; the people
    whose future shifts moved are told, once each."""
    require_may_change_rotations(access)
    locked = Rotation.objects.select_for_update().select_related("programme").get(pk=rotation.pk)
    now = timezone.now()
    rows = list(locked.versions.order_by("effective_from"))
    current = schedule.version_at(rows, now) or rows[0]
    before = _snapshot(locked, rows[-1])

    unknown = set(changes) - set(PLAIN_FIELDS) - set(SCHEDULE_FIELDS) - {"timezone_name"}
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(f"{field} cannot be changed.", field=field)
    if "timezone_name" in changes:
        changes["timezone"] = changes.pop("timezone_name")
    for name in PLAIN_FIELDS:
        if name in changes:
            setattr(locked, name, changes[name].strip() if name == "name" else changes[name])
    if not locked.name:
        raise DomainError("Name the rotation.", field="name")
    if locked.programme.rotations.exclude(pk=locked.pk).filter(name=locked.name).exists():
        raise DomainError(
            f"This programme already has a rotation called “{locked.name}”.", field="name"
        )
    locked.save()

    latest_fields = _version_fields(rows[-1])
    wanted = {**latest_fields, **{k: v for k, v in changes.items() if k in SCHEDULE_FIELDS}}
    not_started = rows[0].effective_from > now
    if start is not None and not not_started:
        # A started rotation keeps its start; sending the same date back is no change.
        first = selectors.as_version(rows[0])
        unchanged = start == schedule.anchor_day(first) or (
            bounds.refusal(start, bounds.SCHEDULE, now) is None
            and _first_handoff_on_or_after(start, first.cadence) == rows[0].anchor
        )
        if not unchanged:
            raise DomainError(
                "The rotation has started; its start date can no longer change.", field="start"
            )
        start = None
    if wanted != latest_fields or start is not None:
        _check_cadence(wanted)
        wanted["member_ids"] = _check_members(list(wanted["member_ids"]))
        old_schedule = selectors.schedule_for(locked, now, now + LOOKAHEAD)
        new_version = _replace_future_versions(locked, rows, current, wanted, now, start, actor)
        fresh = Rotation.objects.prefetch_related(selectors.versions_prefetch()).get(pk=locked.pk)
        new_schedule = selectors.schedule_for(fresh, now, now + LOOKAHEAD)
        _tell_people_whose_shifts_moved(locked, old_schedule, new_schedule, new_version)
    after = _snapshot(locked, locked.versions.order_by("effective_from").last())
    changed_before, changed_after = audit.changed_fields(before, after)
    if changed_after:
        audit.record(
            actor=actor,
            action="update",
            instance=locked,
            programme=locked.programme,
            before=changed_before,
            after=changed_after,
        )
    return locked


def _replace_future_versions(
    rotation: Rotation,
    rows: list[RotationVersion],
    current: RotationVersion,
    wanted: dict[str, Any],
    now: dt.datetime,
    start: dt.date | None,
    actor: Any,
) -> RotationVersion:
    """Drop versions not yet in force and add the wanted one where it may take over."""
    cadence = _cadence(wanted)
    if rows[0].effective_from > now:
        # Not started: the rotation simply starts with the new settings.
        first_day = start or schedule.anchor_day(selectors.as_version(rows[0]))
        refuse_outside_schedule(first_day, "start")
        effective_from = anchor = _first_handoff_on_or_after(first_day, cadence)
    else:
        current_version = selectors.as_version(current)
        boundary = schedule.shift_start(
            current_version, schedule.shift_index_at(current_version, now) + 1
        )
        same_cadence = schedule.significant(cadence) == schedule.significant(
            current_version.cadence
        )
        if same_cadence:
            effective_from, anchor = boundary, current.anchor
        else:
            effective_from = anchor = schedule.first_handoff_at_or_after(cadence, boundary)
    rotation.versions.filter(effective_from__gt=now).delete()
    return RotationVersion.objects.create(
        rotation=rotation,
        effective_from=effective_from,
        anchor=anchor,
        created_by=audit.acting_user(actor),
        **wanted,
    )


def _tell_people_whose_shifts_moved(
    rotation: Rotation,
    old: selectors.RotationSchedule,
    new: selectors.RotationSchedule,
    version: RotationVersion,
) -> None:
    before = schedule.shifts_by_person(old.segments)
    after = schedule.shifts_by_person(new.segments)
    moved = sorted(pid for pid in set(before) | set(after) if before.get(pid) != after.get(pid))
    people = {**old.people, **new.people}
    for person_id in moved:
        person = people.get(person_id) or Person.objects.get(pk=person_id)
        notify(
            recipient=person,
            programme=rotation.programme,
            kind=ROTATION_CHANGED,
            occurrence=f"rotation-changed:{rotation.pk}:{version.pk}",
            subject=f"{rotation.name}: your on-call shifts have changed",
            body=(
                f"{rotation.name} ({rotation.programme.name}) changed; from "
                f"{for_message(version.effective_from, person.timezone)} your shifts are "
                "different. "
                "Check the rotation's calendar."
            ),
            link=rotation.get_absolute_url(),
        )


@transaction.atomic
def delete_rotation(*, actor: Any, rotation: Rotation, access: Access) -> None:
    require_may_change_rotations(access)
    audit.record(
        actor=actor,
        action="delete",
        instance=rotation,
        programme=rotation.programme,
        before=audit.snapshot(rotation),
    )
    rotation.delete()
