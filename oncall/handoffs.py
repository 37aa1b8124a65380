"""Handoffs: the one writer of handoff rows (run by the scheduler tick, ahead of time), the
outgoing notes, the acknowledgement, and what the handoff page reads. Reading never writes."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from programmes import audit
from programmes.any_of import AnyOf
from programmes.bulk import insert_rows
from programmes.errors import DomainError, NotAllowed
from programmes.models import Person
from programmes.rules import Access
from programmes.selectors import person_of

from . import handoff_rules, schedule, selectors
from .models import Handoff, Rotation

# Rows are kept for every change of hands up to this far ahead: the reminders' hour before a
# handoff, with a tick to spare.
SOON = dt.timedelta(hours=1, minutes=5)
# How far the schedule is read around now: a whole shift of the longest kind either side, so the
# latest and the next change of hands are found whatever the shift length.
REACH = schedule.LONGEST_SHIFT + dt.timedelta(days=1)
# A new row's columns, and the values of those it starts without (no notes, not acknowledged).
HANDOFF_COLUMNS = (
    "rotation",
    "starts_at",
    "outgoing",
    "incoming",
    "created_at",
    "notes",
    "notes_updated_at",
    "acknowledged_at",
    "acknowledged_by",
    "acknowledged_on_behalf",
    "acknowledgement_reason",
)
NEW_HANDOFF = ("", None, None, None, False, "")


@dataclass(frozen=True)
class Prepared:
    # Rows created or changed.
    written: int
    # Per rotation, the first instant at which, unless its schedule changes, a row is to write:
    # the next change of hands passing, or the one after it coming within ``SOON``.
    due_at: dict[int, dt.datetime]


def _due_at(found: list[schedule.Change], now: dt.datetime, horizon: dt.datetime) -> dt.datetime:
    following = next((c.at for c in found if c.at > now), horizon)
    beyond_soon = next((c.at for c in found if c.at >= now + SOON), horizon)
    return min(following, beyond_soon - SOON)


def prepare_handoffs(
    versions: dict[int, list[schedule.Version]], *, since: dt.datetime, now: dt.datetime
) -> Prepared:
    """Write the handoff rows of the rotations of ``versions`` (their versions by rotation id,
    as ``version_rows`` reads them): every change of hands from ``since`` until an hour
    from now, the one that began the current shift, and the next one however far ahead (its
    outgoing engineer writes the notes during the shift). Coming rows that the schedule no longer
    has, or has between other people (an override, an edit or time off moved them), are brought
    in line. Says how many rows it created or changed, and when each rotation is next due."""
    start, horizon = min(since, now - REACH), now + REACH
    segments = selectors.schedules_of(versions, start, horizon)
    changes: dict[tuple[int, dt.datetime], schedule.Change] = {}
    wanted: set[tuple[int, dt.datetime]] = set()
    due_at: dict[int, dt.datetime] = {}
    for rotation_id, rotation_segments in segments.items():
        found = schedule.changes_of_hands(rotation_segments)
        changes.update({(rotation_id, change.at): change for change in found})
        due_at[rotation_id] = _due_at(found, now, horizon)
        latest = [c for c in found if c.at <= now][-1:]
        following = [c for c in found if c.at > now][:1]
        for change in [*latest, *following, *(c for c in found if since <= c.at < now + SOON)]:
            wanted.add((rotation_id, change.at))
    existing = {
        (handoff.rotation_id, handoff.starts_at): handoff
        for handoff in Handoff.objects.filter(
            AnyOf(F("rotation_id"), list(versions)),
            starts_at__gte=start,
            starts_at__lt=horizon,
        )
    }
    missing = [key for key in wanted if key not in existing]
    # Plain rows: a tick after a large import writes one or two for every rotation.
    created = timezone.now()
    insert_rows(
        Handoff,
        HANDOFF_COLUMNS,
        [
            (*key, changes[key].outgoing_id, changes[key].incoming_id, created, *NEW_HANDOFF)
            for key in missing
        ],
        conflict=["rotation", "starts_at"],
    )
    written = len(missing)
    for key, handoff in existing.items():
        coming = changes.get(key)
        if handoff.starts_at <= now or coming is None:
            continue
        people = (coming.outgoing_id, coming.incoming_id)
        if (handoff.outgoing_id, handoff.incoming_id) != people:
            moved: dict[str, Any] = {"outgoing_id": people[0], "incoming_id": people[1]}
            if handoff.incoming_id != people[1]:
                # An acknowledgement is the incoming engineer's: someone else comes in now.
                moved.update(
                    acknowledged_at=None,
                    acknowledged_by=None,
                    acknowledged_on_behalf=False,
                    acknowledgement_reason="",
                )
            Handoff.objects.filter(pk=handoff.pk).update(**moved)
            written += 1
    stale = [
        handoff.pk
        for key, handoff in existing.items()
        if key not in changes and handoff.starts_at > now and handoff.acknowledged_at is None
    ]
    Handoff.objects.filter(pk__in=stale, notes="").delete()
    return Prepared(written=written, due_at=due_at)


# Notes and acknowledgement -----------------------------------------------------------------------


def _person_id(person: Person | None) -> int | None:
    return person.pk if person is not None else None


@transaction.atomic
def save_handoff_notes(*, actor: Any, handoff: Handoff, access: Access, notes: str) -> Handoff:
    """The outgoing engineer's notes (markdown) for the incoming one."""
    if not handoff_rules.may_write_notes(
        person_id=_person_id(person_of(actor)),
        outgoing_id=handoff.outgoing_id,
        incoming_id=handoff.incoming_id,
        can_edit=access.can_edit,
    ):
        raise NotAllowed("Only the engineers of this handoff and the programme's editors can.")
    before = {"notes": handoff.notes}
    handoff.notes = notes
    handoff.notes_updated_at = timezone.now()
    handoff.save(update_fields=["notes", "notes_updated_at"])
    audit.record(
        actor=actor,
        action="update",
        instance=handoff,
        programme=handoff.rotation.programme,
        before=before,
        after={"notes": notes},
    )
    return handoff


def speaks_for_rotation(rotation: Rotation, access: Access, person: Person | None) -> bool:
    """Whether ``person`` (with ``access`` to the programme) may acknowledge for others."""
    programme = rotation.programme
    return handoff_rules.speaks_for_the_rotation(
        person_id=_person_id(person),
        oncall_lead_id=programme.oncall_lead_id,
        owner_id=programme.programme_owner_id,
        is_owner=access.can_manage_members,
    )


def acknowledgement_refusal(
    handoff: Handoff,
    *,
    access: Access,
    person: Person | None,
    on_behalf: bool,
    reason: str | None = None,
    now: dt.datetime,
) -> handoff_rules.Refusal | None:
    """Why ``person`` may not acknowledge ``handoff`` at ``now``; None when they may (a
    ``reason`` of None is not judged)."""
    return handoff_rules.acknowledgement_refusal(
        starts_at=handoff.starts_at,
        incoming_id=handoff.incoming_id,
        incoming_name=str(handoff.incoming) if handoff.incoming is not None else "nobody",
        already_acknowledged=handoff.acknowledged_at is not None,
        person_id=_person_id(person),
        speaks_for_rotation=speaks_for_rotation(handoff.rotation, access, person),
        on_behalf=on_behalf,
        reason=reason,
        now=now,
    )


@transaction.atomic
def acknowledge_handoff(
    *, actor: Any, handoff: Handoff, access: Access, on_behalf: bool = False, reason: str = ""
) -> Handoff:
    """“I have it”: the incoming engineer takes the shift, from 15 minutes before it. The on-call
    lead or a programme owner may acknowledge for them, saying so, with a reason."""
    locked = (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("rotation__programme", "incoming")
        .get(pk=handoff.pk)
    )
    now = timezone.now()
    reason = reason.strip() if on_behalf else ""
    refusal = acknowledgement_refusal(
        locked, access=access, person=person_of(actor), on_behalf=on_behalf, reason=reason, now=now
    )
    if refusal is not None:
        error = NotAllowed if refusal.not_allowed else DomainError
        raise error(refusal.message, field=refusal.field)
    locked.acknowledged_at = now
    locked.acknowledged_by = audit.acting_user(actor)
    locked.acknowledged_on_behalf = on_behalf
    locked.acknowledgement_reason = reason
    locked.save(
        update_fields=[
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_on_behalf",
            "acknowledgement_reason",
        ]
    )
    after: dict[str, Any] = {"acknowledged_at": now.isoformat()}
    if on_behalf:
        after.update({"acknowledged_for": str(locked.incoming), "reason": reason})
    audit.record(
        actor=actor,
        action="acknowledge",
        instance=locked,
        programme=locked.rotation.programme,
        after=after,
    )
    return locked


def acknowledgement_text(handoff: Handoff) -> str | None:
    """“Oliver Grant has it”, or “acknowledged for Oliver Grant by Marco Bianchi: his phone is
    dead”; None when not acknowledged."""
    if handoff.acknowledged_at is None:
        return None
    user = handoff.acknowledged_by
    by = getattr(user, "person", None) if user is not None else None
    return handoff_rules.acknowledgement_text(
        incoming_name=str(handoff.incoming) if handoff.incoming is not None else "nobody",
        acknowledger_name=str(by or (user.get_username() if user else "a removed user")),
        on_behalf=handoff.acknowledged_on_behalf,
        reason=handoff.acknowledgement_reason,
    )


# The handoff page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoffView:
    """What the handoff page shows at ``now``: the change of hands that began the current shift
    (and its row, once the scheduler has prepared it), the handoff before it, the next one, and
    from when the outgoing shift's incidents count."""

    now: dt.datetime
    change: handoff_rules.ShiftChange
    current: Handoff | None
    previous: Handoff | None
    next: Handoff | None
    incidents_since: dt.datetime
    people: dict[int, Person]

    @property
    def reach_days(self) -> int:
        """How far ahead the page looks for the next change of hands."""
        return REACH.days


def handoff_view(rotation: Rotation, now: dt.datetime) -> HandoffView:
    """The handoff page's handoffs, in a fixed number of queries whatever the shift length."""
    found = selectors.schedule_for(rotation, now - REACH, now + REACH)
    change = handoff_rules.shift_change_at(found.segments, now)
    handoffs = selectors.rotation_handoffs(rotation)
    boundary = change.latest.at if change.latest else now
    latest_two = list(handoffs.filter(starts_at__lte=boundary).order_by("-starts_at")[:2])
    current = None
    if change.latest is not None and latest_two and latest_two[0].starts_at == change.latest.at:
        current = latest_two.pop(0)
    previous = latest_two[0] if latest_two else None
    following = handoffs.filter(starts_at=change.following.at).first() if change.following else None
    running = next((s for s in found.segments if s.start <= now < s.end), None)
    if change.outgoing_since is not None:
        since = change.outgoing_since
    elif running is not None:
        since = running.start
    else:
        since = now - dt.timedelta(days=1)
    return HandoffView(now, change, current, previous, following, since, found.people)
