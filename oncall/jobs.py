"""On-call's scheduled jobs, run on every scheduler tick in the order they are defined here
(handoff rows are prepared before the reminders read them). Each finds what is due and writes
notifications whose occurrence names the handoff or the gap, so a repeated tick tells nobody
twice."""

import datetime as dt

from django.db import transaction

from programmes.models import ACTIVE_STAGES, Stage
from programmes.notifications import notify
from programmes.registry.jobs import scheduled_job
from programmes.rules import LATE_NOTICE_LIMIT
from programmes.times import duration_words, for_message

from . import handoffs, schedule, selectors
from .handoff_rules import ACKNOWLEDGE_EARLY
from .models import Handoff, Rotation
from .notification_kinds import (
    HANDOFF,
    HANDOFF_UNACKNOWLEDGED,
    ROTATION_GAP,
    SHIFT_SOON,
)

SHIFT_SOON_NOTICE = dt.timedelta(hours=1)
UNACKNOWLEDGED_AFTER = dt.timedelta(minutes=30)
GAP_HORIZON = dt.timedelta(days=7)
GAP_CONTEXT = dt.timedelta(days=30)


def _rotations() -> list[Rotation]:
    return list(
        Rotation.objects.select_related("programme__programme_owner", "programme__oncall_lead")
        .prefetch_related(selectors.versions_prefetch())
        .filter(programme__stage__in=ACTIVE_STAGES)
    )


@scheduled_job
def prepare_handoffs(now: dt.datetime) -> int:
    """Handoff rows, ahead of time, for every rotation of a programme that is not retired (the
    reminders below go only to programmes in pilot, readiness review or production): see
    ``handoffs.prepare_handoffs``."""
    rotations = list(
        Rotation.objects.exclude(programme__stage=Stage.RETIRED)
        .select_related("programme")
        .prefetch_related(selectors.versions_prefetch())
    )
    return handoffs.prepare_handoffs(rotations, since=now - LATE_NOTICE_LIMIT, now=now)


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


@scheduled_job
def remind_shift_soon(now: dt.datetime) -> int:
    """An hour before a shift, its incoming engineer hears about it."""
    written = 0
    for handoff in _handoffs(now, now + SHIFT_SOON_NOTICE):
        if handoff.incoming is None:
            continue
        rotation = handoff.rotation
        starts = for_message(handoff.starts_at, handoff.incoming.timezone)
        with transaction.atomic():
            written += len(
                notify(
                    recipient=handoff.incoming,
                    programme=rotation.programme,
                    kind=SHIFT_SOON,
                    occurrence=f"shift-soon:{handoff.pk}",
                    subject=f"{rotation.name}: your shift starts at {starts}",
                    body=(
                        f"You are on call for {rotation.name} ({rotation.programme.name}) from "
                        f"{starts}. Read the outgoing notes on the handoff page and acknowledge "
                        f"when you have it (from {duration_words(ACKNOWLEDGE_EARLY)} before)."
                    ),
                    link=rotation.get_handoff_url(),
                )
            )
    return written


@scheduled_job
def remind_handoff_now(now: dt.datetime) -> int:
    """At the handoff, both engineers hear that it is time."""
    written = 0
    for handoff in _handoffs(now - LATE_NOTICE_LIMIT, now):
        rotation = handoff.rotation
        for person in (handoff.outgoing, handoff.incoming):
            if person is None:
                continue
            with transaction.atomic():
                written += len(
                    notify(
                        recipient=person,
                        programme=rotation.programme,
                        kind=HANDOFF,
                        occurrence=f"handoff-now:{handoff.pk}",
                        subject=f"{rotation.name}: handoff now",
                        body=(
                            f"{rotation.name} changes hands at "
                            f"{for_message(handoff.starts_at, person.timezone)}: "
                            f"{handoff.outgoing or 'nobody'} → {handoff.incoming or 'nobody'}. "
                            "Outgoing: leave your notes. Incoming: acknowledge when you have it."
                        ),
                        link=rotation.get_handoff_url(),
                    )
                )
    return written


@scheduled_job
def remind_unacknowledged_handoffs(now: dt.datetime) -> int:
    """A handoff not acknowledged ``UNACKNOWLEDGED_AFTER`` after it began tells the on-call lead,
    once."""
    written = 0
    for handoff in _handoffs(now - LATE_NOTICE_LIMIT, now - UNACKNOWLEDGED_AFTER):
        lead = handoff.rotation.programme.oncall_lead
        if handoff.acknowledged_at is not None or lead is None or handoff.incoming is None:
            continue
        if lead.pk == handoff.incoming_id:
            continue  # the lead is the one who has not acknowledged: telling them says nothing
        rotation = handoff.rotation
        starts = for_message(handoff.starts_at, lead.timezone)
        with transaction.atomic():
            written += len(
                notify(
                    recipient=lead,
                    programme=rotation.programme,
                    kind=HANDOFF_UNACKNOWLEDGED,
                    occurrence=f"handoff-unacknowledged:{handoff.pk}",
                    subject=f"{rotation.name}: {handoff.incoming} has not acknowledged the handoff",
                    body=(
                        f"The {rotation.name} handoff at {starts} to {handoff.incoming} is not "
                        f"acknowledged after {duration_words(UNACKNOWLEDGED_AFTER)}. Check that "
                        "somebody has the pager; you can acknowledge for them on the handoff "
                        "page, with a reason."
                    ),
                    link=rotation.get_handoff_url(),
                )
            )
    return written


def _gap_occurrence(rotation: Rotation, gap: schedule.Segment, window_start: dt.datetime) -> str:
    """A gap's name: its start, or, for a gap older than the window (whose start the window
    cuts), its end, which stays put."""
    if gap.start <= window_start:
        return f"rotation-gap:{rotation.pk}:until-{gap.end:%Y%m%dT%H%M}"
    return f"rotation-gap:{rotation.pk}:{gap.start:%Y%m%dT%H%M}"


@scheduled_job
def remind_gaps(now: dt.datetime) -> int:
    """A stretch in the next 7 days with nobody on call tells the programme owner, once per
    gap."""
    written = 0
    rotations = _rotations()
    # From well before now, so a gap under way keeps its true start (and its one occurrence).
    # Read well beyond the 7 days on both sides, so each gap has its true start and end.
    window_start = now - GAP_CONTEXT
    upcoming = selectors.segments_for(rotations, window_start, now + GAP_HORIZON + GAP_CONTEXT)
    for rotation in rotations:
        owner = rotation.programme.programme_owner
        if owner is None:
            continue
        for gap in schedule.gaps(upcoming[rotation.pk]):
            if gap.end <= now or gap.start >= now + GAP_HORIZON:
                continue
            begins, ends = (
                for_message(gap.start, owner.timezone),
                for_message(gap.end, owner.timezone),
            )
            with transaction.atomic():
                written += len(
                    notify(
                        recipient=owner,
                        programme=rotation.programme,
                        kind=ROTATION_GAP,
                        occurrence=_gap_occurrence(rotation, gap, window_start),
                        subject=f"{rotation.name}: nobody on call from {begins}",
                        body=(
                            f"Nobody is on call for {rotation.name} ({rotation.programme.name}) "
                            f"from {begins} to {ends}. "
                            "Ask a member to cover, or add an override."
                        ),
                        link=rotation.get_absolute_url(),
                    )
                )
    return written
