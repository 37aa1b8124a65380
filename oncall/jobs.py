"""On-call reminders, run on every scheduler tick. Each finds what is due and writes
notifications whose occurrence names the handoff or the gap, so a repeated tick tells nobody
twice."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from programmes.models import ACTIVE_STAGES, NotificationKind, Person
from programmes.notifications import notify

from . import schedule, selectors
from .models import Handoff, Rotation

SHIFT_SOON = dt.timedelta(hours=1)
UNACKNOWLEDGED_AFTER = dt.timedelta(minutes=30)
# A handoff missed by more than this (Keel was down) is not announced late.
STALE_AFTER = dt.timedelta(hours=6)
GAP_HORIZON = dt.timedelta(days=7)


def _rotations() -> list[Rotation]:
    return list(
        Rotation.objects.select_related("programme__programme_owner", "programme__oncall_lead")
        .prefetch_related(selectors._versions_prefetch())
        .filter(programme__stage__in=ACTIVE_STAGES)
    )


def prepare_handoffs(now: dt.datetime) -> int:
    """Handoff rows for the changes of hands from a while ago to an hour ahead. Coming rows the
    schedule no longer has (an override, an edit or time off moved them) are brought in line."""
    written = 0
    start, end = now - STALE_AFTER, now + SHIFT_SOON + dt.timedelta(minutes=5)
    rotations = _rotations()
    segments = selectors.segments_for(rotations, start - schedule.LONGEST_SHIFT, end)
    existing = {
        (handoff.rotation_id, handoff.starts_at): handoff
        for handoff in Handoff.objects.filter(
            rotation__in=rotations, starts_at__gte=start, starts_at__lt=end
        )
    }
    wanted = {}
    for rotation in rotations:
        for change in schedule.changes_of_hands(segments[rotation.pk]):
            if start <= change.at < end:
                wanted[(rotation.pk, change.at)] = change
    for key, change in wanted.items():
        handoff = existing.get(key)
        people = (change.outgoing_id, change.incoming_id)
        if handoff is None:
            _, created = Handoff.objects.get_or_create(
                rotation_id=key[0],
                starts_at=key[1],
                defaults={"outgoing_id": people[0], "incoming_id": people[1]},
            )
            written += int(created)
        elif (handoff.outgoing_id, handoff.incoming_id) != people and handoff.starts_at > now:
            Handoff.objects.filter(pk=handoff.pk).update(
                outgoing_id=people[0], incoming_id=people[1]
            )
            written += 1
    stale = [
        handoff.pk
        for key, handoff in existing.items()
        if key not in wanted and handoff.starts_at > now and handoff.acknowledged_at is None
    ]
    Handoff.objects.filter(pk__in=stale, notes="").delete()
    return written


def _handoffs(start: dt.datetime, end: dt.datetime) -> list[Handoff]:
    return list(
        Handoff.objects.filter(
            starts_at__gte=start,
            starts_at__lte=end,
            rotation__programme__stage__in=ACTIVE_STAGES,
        )
        .select_related(
            "rotation__programme", "rotation__programme__oncall_lead", "incoming", "outgoing"
        )
        .order_by("starts_at")
    )


def _local(moment: dt.datetime, person: Person) -> str:
    return f"{moment.astimezone(ZoneInfo(person.timezone)):%a %d %b %H:%M} ({person.timezone})"


def remind_shift_soon(now: dt.datetime) -> int:
    """An hour before a shift, its incoming engineer hears about it."""
    written = 0
    for handoff in _handoffs(now, now + SHIFT_SOON):
        if handoff.incoming is None:
            continue
        rotation = handoff.rotation
        with transaction.atomic():
            written += len(
                notify(
                    recipient=handoff.incoming,
                    programme=rotation.programme,
                    kind=NotificationKind.SHIFT_SOON,
                    occurrence=f"shift-soon:{handoff.pk}",
                    subject=f"{rotation.name}: your shift starts at "
                    f"{_local(handoff.starts_at, handoff.incoming)}",
                    body=(
                        f"You are on call for {rotation.name} ({rotation.programme.name}) from "
                        f"{_local(handoff.starts_at, handoff.incoming)}. Read the outgoing "
                        "notes on the handoff page and acknowledge when you have it."
                    ),
                    link=f"/oncall/{rotation.pk}/handoff/",
                )
            )
    return written


def remind_handoff_now(now: dt.datetime) -> int:
    """At the handoff, both engineers hear that it is time."""
    written = 0
    for handoff in _handoffs(now - STALE_AFTER, now):
        rotation = handoff.rotation
        for person in (handoff.outgoing, handoff.incoming):
            if person is None:
                continue
            with transaction.atomic():
                written += len(
                    notify(
                        recipient=person,
                        programme=rotation.programme,
                        kind=NotificationKind.HANDOFF,
                        occurrence=f"handoff-now:{handoff.pk}",
                        subject=f"{rotation.name}: handoff now",
                        body=(
                            f"{rotation.name} changes hands at "
                            f"{_local(handoff.starts_at, person)}: "
                            f"{handoff.outgoing or 'nobody'} → {handoff.incoming or 'nobody'}. "
                            "Outgoing: leave your notes. Incoming: acknowledge when you have it."
                        ),
                        link=f"/oncall/{rotation.pk}/handoff/",
                    )
                )
    return written


def remind_unacknowledged_handoffs(now: dt.datetime) -> int:
    """A handoff not acknowledged 30 minutes after it began tells the on-call lead, once."""
    written = 0
    for handoff in _handoffs(now - STALE_AFTER, now - UNACKNOWLEDGED_AFTER):
        lead = handoff.rotation.programme.oncall_lead
        if handoff.acknowledged_at is not None or lead is None or handoff.incoming is None:
            continue
        if lead.pk == handoff.incoming_id:
            continue  # the lead is the one who has not acknowledged: telling them says nothing
        rotation = handoff.rotation
        with transaction.atomic():
            written += len(
                notify(
                    recipient=lead,
                    programme=rotation.programme,
                    kind=NotificationKind.HANDOFF_UNACKNOWLEDGED,
                    occurrence=f"handoff-unacknowledged:{handoff.pk}",
                    subject=f"{rotation.name}: {handoff.incoming} has not acknowledged the handoff",
                    body=(
                        f"The {rotation.name} handoff at {_local(handoff.starts_at, lead)} to "
                        f"{handoff.incoming} is not acknowledged after 30 minutes. Check that "
                        "somebody has the pager."
                    ),
                    link=f"/oncall/{rotation.pk}/handoff/",
                )
            )
    return written


def remind_gaps(now: dt.datetime) -> int:
    """A stretch in the next 7 days with nobody on call tells the programme owner, once per
    gap."""
    written = 0
    rotations = _rotations()
    # From well before now, so a gap under way keeps its true start (and its one occurrence).
    upcoming = selectors.segments_for(rotations, now - schedule.LONGEST_SHIFT, now + GAP_HORIZON)
    for rotation in rotations:
        owner = rotation.programme.programme_owner
        if owner is None:
            continue
        for gap in schedule.gaps(upcoming[rotation.pk]):
            if gap.end <= now:
                continue
            with transaction.atomic():
                written += len(
                    notify(
                        recipient=owner,
                        programme=rotation.programme,
                        kind=NotificationKind.ROTATION_GAP,
                        occurrence=f"rotation-gap:{rotation.pk}:{gap.start:%Y%m%dT%H%M}",
                        subject=f"{rotation.name}: nobody on call from {_local(gap.start, owner)}",
                        body=(
                            f"Nobody is on call for {rotation.name} ({rotation.programme.name}) "
                            f"from {_local(gap.start, owner)} to {_local(gap.end, owner)}. "
                            "Ask a member to cover, or add an override."
                        ),
                        link=rotation.get_absolute_url(),
                    )
                )
    return written


ONCALL_JOBS = (
    prepare_handoffs,
    remind_shift_soon,
    remind_handoff_now,
    remind_unacknowledged_handoffs,
    remind_gaps,
)
