"""Writes to on-call: rotations (as effective-dated versions), overrides, cover requests, time off,
handoffs and calendar feed tokens. Each runs in one transaction with its audit event and its
notifications, and refuses with a ``DomainError`` whose message is fit for a user."""

import datetime as dt
from typing import Any
from zoneinfo import available_timezones

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError, NotAllowed
from programmes.models import Person, Programme
from programmes.notifications import notify
from programmes.rules import Access, local_time_to_utc
from programmes.selectors import person_of
from programmes.services import full_clean_or_refuse
from programmes.times import current_zone, for_message

from . import schedule, selectors
from .models import (
    CalendarFeedToken,
    CoverRequest,
    CoverStatus,
    FeedKind,
    Override,
    Rotation,
    RotationVersion,
    ShiftKind,
    TimeOff,
)
from .notification_kinds import COVER_ACCEPTED, COVER_REQUEST, ROTATION_CHANGED

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
# How far ahead an edit looks for shifts it moved, and time off for shifts it leaves uncovered.
LOOKAHEAD = dt.timedelta(days=90)


def _require_edit(access: Access) -> None:
    if not access.can_edit:
        raise NotAllowed("Only the programme's editors and owners can change its rotations.")


def _refuse_outside_schedule(value: dt.date | dt.datetime, field: str) -> None:
    bounds.refuse_outside(value, bounds.SCHEDULE, field=field, now=timezone.now())


def _check_cadence(fields: dict[str, Any]) -> None:
    if fields["timezone"] not in available_timezones():
        raise DomainError(
            f"“{fields['timezone']}” is not a known time zone (for example Europe/London).",
            field="timezone",
        )
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
    _require_edit(access)
    fields = {
        "timezone": timezone_name,
        "shift_kind": shift_kind,
        "shift_hours": shift_hours,
        "handoff_time": handoff_time,
        "handoff_weekday": handoff_weekday,
    }
    _check_cadence(fields)
    _refuse_outside_schedule(start, "start")
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
    _require_edit(access)
    locked = Rotation.objects.select_for_update().select_related("programme").get(pk=rotation.pk)
    now = timezone.now()
    rows = list(locked.versions.order_by("effective_from"))
    current = selectors.current_version_row(locked, now)
    assert current is not None
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
        _refuse_outside_schedule(first_day, "start")
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
    _require_edit(access)
    audit.record(
        actor=actor,
        action="delete",
        instance=rotation,
        programme=rotation.programme,
        before=audit.snapshot(rotation),
    )
    rotation.delete()


# Overrides and cover -----------------------------------------------------------------------------


def _from_now(start: dt.datetime) -> dt.datetime:
    """A new period's start, never before now: what has happened stays as it happened."""
    return max(start, timezone.now())


def _check_window(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        raise DomainError("The end must come after the start.", field="end")
    if end <= timezone.now():
        raise DomainError(
            "That period is already over; who was on call then stays as it was.", field="end"
        )
    _refuse_outside_schedule(start, "start")
    _refuse_outside_schedule(end, "end")


def _refuse_overlap(
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


def _is_member(rotation: Rotation, person: Person | None) -> bool:
    """Whether ``person`` is in the rotation's latest order (the one in force or coming)."""
    if person is None:
        return False
    return person.pk in selectors.versions_of(rotation)[-1].member_ids


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
    _require_edit(access)
    return _override(
        actor=actor, rotation=rotation, person=person, start=start, end=end, reason=reason
    )


def _override(
    *,
    actor: Any,
    rotation: Rotation,
    person: Person,
    start: dt.datetime,
    end: dt.datetime,
    reason: str,
) -> Override:
    _check_window(start, end)
    start = _from_now(start)
    # The rotation's row lock makes two overlapping overrides at once take turns.
    locked = Rotation.objects.select_for_update().select_related("programme").get(pk=rotation.pk)
    _refuse_overlap(locked.pk, start, end)
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
    _require_edit(access)
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
    _check_window(locked.start, locked.end)
    if "start" in changes:
        locked.start = _from_now(locked.start)
    _refuse_overlap(locked.rotation_id, locked.start, locked.end, other_than=locked.pk)
    locked.save()
    audit.record_update(
        actor=actor, instance=locked, programme=override.rotation.programme, before=before
    )
    return locked


@transaction.atomic
def delete_override(*, actor: Any, override: Override, access: Access) -> None:
    """Remove an override. One that came from an accepted cover request reopens the request, so
    the stretch is asked for again rather than silently uncovered."""
    _require_edit(access)
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


@transaction.atomic
def request_cover(
    *,
    actor: Any,
    rotation: Rotation,
    access: Access,
    requester: Person,
    start: dt.datetime,
    end: dt.datetime,
    reason: str = "",
) -> CoverRequest:
    """Ask the rotation's other members to cover [start, end) for ``requester``."""
    if not access.can_edit and person_of(actor) != requester:
        raise NotAllowed("Ask for cover for yourself, or as an editor of the programme.")
    _check_window(start, end)
    start = _from_now(start)
    if not _is_member(rotation, requester):
        raise DomainError(f"{requester} is not on this rotation.", field="requester_id")
    cover = CoverRequest.objects.create(
        rotation=rotation, requester=requester, start=start, end=end, reason=reason
    )
    audit.record(
        actor=actor,
        action="create",
        instance=cover,
        programme=rotation.programme,
        after=audit.snapshot(cover),
    )
    _ask_members_to_cover(cover)
    return cover


def _ask_members_to_cover(cover: CoverRequest) -> None:
    rotation = cover.rotation
    latest = selectors.versions_of(rotation)[-1]
    others = Person.objects.filter(pk__in=latest.member_ids).exclude(pk=cover.requester_id)
    for person in others:
        notify(
            recipient=person,
            programme=rotation.programme,
            kind=COVER_REQUEST,
            occurrence=f"cover-request:{cover.pk}",
            subject=f"{rotation.name}: can you cover {cover.requester}?",
            body=(
                f"{cover.requester} needs cover on {rotation.name} from "
                f"{for_message(cover.start, person.timezone)} to "
                f"{for_message(cover.end, person.timezone)}"
                + (f": {cover.reason}" if cover.reason else ".")
                + " Accept it on the rotation's page."
            ),
            link=rotation.get_absolute_url() + "#cover",
        )


@transaction.atomic
def accept_cover(*, actor: Any, cover: CoverRequest, person: Person | None) -> Override:
    """``person`` (a member of the rotation) takes the requested stretch: it becomes their
    override."""
    locked = CoverRequest.objects.select_for_update().select_related("rotation").get(pk=cover.pk)
    if locked.status != CoverStatus.OPEN:
        raise DomainError(f"This request is already {locked.get_status_display().lower()}.")
    if person is None or not _is_member(locked.rotation, person):
        raise NotAllowed("Only another member of the rotation can take this cover.")
    if person.pk == locked.requester_id:
        raise DomainError("You cannot cover your own request.")
    override = _override(
        actor=actor,
        rotation=locked.rotation,
        person=person,
        start=locked.start,
        end=locked.end,
        reason=f"Covering {locked.requester}" + (f": {locked.reason}" if locked.reason else ""),
    )
    locked.status = CoverStatus.ACCEPTED
    locked.accepted_by = person
    locked.override = override
    locked.save(update_fields=["status", "accepted_by", "override"])
    audit.record(
        actor=actor,
        action="accept",
        instance=locked,
        programme=locked.rotation.programme,
        after={"accepted_by": {"id": person.pk, "name": str(person)}},
    )
    notify(
        recipient=locked.requester,
        programme=locked.rotation.programme,
        kind=COVER_ACCEPTED,
        occurrence=f"cover-accepted:{locked.pk}",
        subject=f"{person} is covering you on {locked.rotation.name}",
        body=(
            f"{person} takes {locked.rotation.name} from "
            f"{for_message(locked.start, locked.requester.timezone)} to "
            f"{for_message(locked.end, locked.requester.timezone)}."
        ),
        link=locked.rotation.get_absolute_url(),
    )
    return override


@transaction.atomic
def cancel_cover(*, actor: Any, cover: CoverRequest, access: Access) -> CoverRequest:
    if not access.can_edit and person_of(actor) != cover.requester:
        raise NotAllowed("Only the requester or the programme's editors can cancel this.")
    if cover.status != CoverStatus.OPEN:
        raise DomainError(f"This request is already {cover.get_status_display().lower()}.")
    cover.status = CoverStatus.CANCELLED
    cover.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="cancel",
        instance=cover,
        programme=cover.rotation.programme,
        after={"status": CoverStatus.CANCELLED},
    )
    return cover


# Time off ----------------------------------------------------------------------------------------


@transaction.atomic
def record_time_off(
    *, actor: Any, person: Person, start: dt.datetime, end: dt.datetime, note: str = ""
) -> TimeOff:
    """Record a period away. Each rotation shift of theirs in it becomes a gap, and a cover
    request for it goes to the rotation's other members."""
    if not getattr(actor, "is_staff", False) and person_of(actor) != person:
        raise NotAllowed("Record your own time off (staff can record anyone's).")
    _check_window(start, end)
    start = _from_now(start)
    Person.objects.select_for_update().get(pk=person.pk)
    clash = TimeOff.objects.filter(person=person, start__lt=end, end__gt=start).first()
    if clash is not None:
        zone = current_zone()
        raise DomainError(
            f"This overlaps your time off from {for_message(clash.start, zone)} to "
            f"{for_message(clash.end, zone)}; change that one instead.",
            field="start",
        )
    time_off = TimeOff.objects.create(person=person, start=start, end=end, note=note)
    audit.record(
        actor=actor,
        action="create",
        instance=time_off,
        programme=None,
        after=audit.snapshot(time_off),
    )
    horizon_end = min(end, timezone.now() + LOOKAHEAD)
    for rotation in selectors.rotations_of_person(person):
        planned = schedule.planned_shifts(selectors.versions_of(rotation), start, horizon_end)
        for stretch in _joined(s for s in planned if s.person_id == person.pk):
            cover = CoverRequest.objects.create(
                rotation=rotation,
                requester=person,
                start=stretch[0],
                end=stretch[1],
                reason=f"Time off{': ' + note if note else ''}",
                time_off=time_off,
            )
            audit.record(
                actor=actor,
                action="create",
                instance=cover,
                programme=rotation.programme,
                after=audit.snapshot(cover),
            )
            _ask_members_to_cover(cover)
    return time_off


def _joined(segments: Any) -> list[tuple[dt.datetime, dt.datetime]]:
    stretches: list[tuple[dt.datetime, dt.datetime]] = []
    for segment in segments:
        if stretches and stretches[-1][1] == segment.start:
            stretches[-1] = (stretches[-1][0], segment.end)
        else:
            stretches.append((segment.start, segment.end))
    return stretches


# Calendar feeds ----------------------------------------------------------------------------------


@transaction.atomic
def issue_feed_token(
    *, actor: Any, rotation: Rotation | None = None, person: Person | None = None
) -> tuple[CalendarFeedToken, str]:
    """A secret calendar URL token for a rotation's or a person's shifts; shown once."""
    if rotation is not None:
        token, key = CalendarFeedToken.issue(
            created_by=actor, kind=FeedKind.ROTATION, rotation=rotation
        )
        programme = rotation.programme
    else:
        assert person is not None
        token, key = CalendarFeedToken.issue(created_by=actor, kind=FeedKind.PERSON, person=person)
        programme = None
    audit.record(
        actor=actor,
        action="create",
        instance=token,
        programme=programme,
        after={"kind": token.kind, "hint": token.hint},
    )
    return token, key


@transaction.atomic
def revoke_feed_token(
    *, actor: Any, token: CalendarFeedToken, access: Access | None
) -> CalendarFeedToken:
    """Stop a calendar link working; ``access`` is the actor's to the link's rotation."""
    if not selectors.may_revoke_feed_token(actor, token, access):
        raise NotAllowed("Only whoever made the link, or an editor, can revoke it.")
    if token.revoked_at is not None:
        raise DomainError("This calendar link is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="revoke",
        instance=token,
        programme=token.rotation.programme if token.rotation is not None else None,
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token


@transaction.atomic
def delete_time_off(*, actor: Any, time_off: TimeOff) -> None:
    """Remove a period away; the cover requests it raised and nobody took are withdrawn."""
    time_off.cover_requests.filter(status=CoverStatus.OPEN).update(status=CoverStatus.CANCELLED)
    audit.record(
        actor=actor,
        action="delete",
        instance=time_off,
        programme=None,
        before=audit.snapshot(time_off),
    )
    time_off.delete()
