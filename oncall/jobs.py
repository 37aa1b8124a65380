"""On-call's scheduled jobs, run on every scheduler tick in the order they are defined here
(handoff rows are prepared before the reminders read them). Each finds what is due, leaves out
in the same query what is already written, and writes the rest in bulk (``programmes.outbox``),
with occurrences that name the handoff or the gap, so a repeated tick tells nobody twice. The
two that work schedules out (handoff rows, gaps) see only the rotations that changed or whose
next moment has come (``rotation_checks``)."""

import datetime as dt

from django.db import transaction
from django.db.models import F, QuerySet

from programmes.models import ACTIVE_STAGES, Stage
from programmes.outbox import Message, notify_all, occurrence_key, unwritten, written
from programmes.registry.jobs import scheduled_job
from programmes.rules import LATE_NOTICE_LIMIT
from programmes.times import duration_words, for_message

from . import handoffs, plan, rotation_checks, schedule, selectors
from .handoff_rules import ACKNOWLEDGE_EARLY
from .models import Handoff, Rotation
from .notification_kinds import (
    HANDOFF,
    HANDOFF_UNACKNOWLEDGED,
    ROTATION_GAP,
    SHIFT_SOON,
)
from .version_rows import versions_by_rotation

SHIFT_SOON_NOTICE = dt.timedelta(hours=1)
UNACKNOWLEDGED_AFTER = dt.timedelta(minutes=30)
GAP_HORIZON = dt.timedelta(days=7)
GAP_CONTEXT = dt.timedelta(days=30)


@scheduled_job
def prepare_handoffs(now: dt.datetime) -> int:
    """Handoff rows, ahead of time, for every rotation of a programme that is not retired (the
    reminders below go only to programmes in pilot, readiness review or production): see
    ``handoffs.prepare_handoffs``. Only rotations that changed or whose next change of hands is
    near are worked out, from plain rows (their ids, fingerprints and versions)."""
    fingerprints: dict[int, str] = dict(
        rotation_checks.due_rotations(
            Rotation.objects.exclude(programme__stage=Stage.RETIRED),
            job="prepare_handoffs",
            now=now,
        )
    )
    if not fingerprints:
        return 0
    versions = versions_by_rotation(list(fingerprints))
    with transaction.atomic():
        prepared = handoffs.prepare_handoffs(versions, since=now - LATE_NOTICE_LIMIT, now=now)
        rotation_checks.record_checks("prepare_handoffs", prepared.due_at, fingerprints)
    return prepared.written


def _handoffs(start: dt.datetime, end: dt.datetime) -> QuerySet[Handoff]:
    return Handoff.objects.filter(
        starts_at__gte=start,
        starts_at__lte=end,
        rotation__programme__stage__in=ACTIVE_STAGES,
    ).order_by("starts_at")


def _with_people(handoffs_due: QuerySet[Handoff]) -> list[Handoff]:
    return list(
        handoffs_due.select_related(
            "rotation__programme", "rotation__programme__oncall_lead", "incoming", "outgoing"
        )
    )


@scheduled_job
def remind_shift_soon(now: dt.datetime) -> int:
    """An hour before a shift, its incoming engineer hears about it."""
    due = unwritten(
        _handoffs(now, now + SHIFT_SOON_NOTICE).filter(incoming__isnull=False),
        occurrence=occurrence_key("shift-soon:", F("pk")),
        recipient="incoming_id",
    )
    messages = []
    for handoff in _with_people(due):
        assert handoff.incoming is not None
        rotation = handoff.rotation
        starts = for_message(handoff.starts_at, handoff.incoming.timezone)
        messages.append(
            Message(
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
    with transaction.atomic():
        return notify_all(messages)


@scheduled_job
def remind_handoff_now(now: dt.datetime) -> int:
    """At the handoff, both engineers hear that it is time."""
    messages = []
    for side in ("outgoing", "incoming"):
        due = unwritten(
            _handoffs(now - LATE_NOTICE_LIMIT, now).filter(**{f"{side}__isnull": False}),
            occurrence=occurrence_key("handoff-now:", F("pk")),
            recipient=f"{side}_id",
        )
        for handoff in _with_people(due):
            person = getattr(handoff, side)
            rotation = handoff.rotation
            messages.append(
                Message(
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
    with transaction.atomic():
        return notify_all(messages)


@scheduled_job
def remind_unacknowledged_handoffs(now: dt.datetime) -> int:
    """A handoff not acknowledged ``UNACKNOWLEDGED_AFTER`` after it began tells the on-call lead,
    once."""
    due = unwritten(
        _handoffs(now - LATE_NOTICE_LIMIT, now - UNACKNOWLEDGED_AFTER)
        .filter(
            acknowledged_at__isnull=True,
            incoming__isnull=False,
            rotation__programme__oncall_lead__isnull=False,
        )
        # The lead who has not acknowledged is the incoming one: telling them says nothing.
        .exclude(incoming_id=F("rotation__programme__oncall_lead_id")),
        occurrence=occurrence_key("handoff-unacknowledged:", F("pk")),
        recipient="rotation__programme__oncall_lead_id",
    )
    messages = []
    for handoff in _with_people(due):
        lead = handoff.rotation.programme.oncall_lead
        assert lead is not None
        rotation = handoff.rotation
        starts = for_message(handoff.starts_at, lead.timezone)
        messages.append(
            Message(
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
    with transaction.atomic():
        return notify_all(messages)


def _gap_occurrence(rotation_id: int, gap: schedule.Segment, window_start: dt.datetime) -> str:
    """A gap's name: its start, or, for a gap older than the window (whose start the window
    cuts), its end, which stays put."""
    if gap.start <= window_start:
        return f"rotation-gap:{rotation_id}:until-{gap.end:%Y%m%dT%H%M}"
    return f"rotation-gap:{rotation_id}:{gap.start:%Y%m%dT%H%M}"


@scheduled_job
def remind_gaps(now: dt.datetime) -> int:
    """A stretch in the next 7 days with nobody on call tells the programme owner, once per
    gap. Only rotations that changed, or whose next gap is about to come within the 7 days, are
    worked out again, from plain rows; objects are read only for the gaps to tell."""
    due = rotation_checks.due_rotations(
        Rotation.objects.filter(programme__stage__in=ACTIVE_STAGES),
        "programme__programme_owner_id",
        job="remind_gaps",
        now=now,
    )
    fingerprints: dict[int, str] = {}
    owners: dict[int, int | None] = {}
    for rotation_id, checked_as, owner_id in due:
        fingerprints[rotation_id], owners[rotation_id] = checked_as, owner_id
    if not fingerprints:
        return 0
    versions = versions_by_rotation(list(fingerprints))
    # From well before now, so a gap under way keeps its true start (and its one occurrence).
    # Read well beyond the 7 days on both sides, so each gap has its true start and end.
    window_start, window_end = now - GAP_CONTEXT, now + GAP_HORIZON + GAP_CONTEXT
    away = selectors.people_away_between(window_start, window_end)
    upcoming = selectors.schedules_of(
        {pk: found for pk, found in versions.items() if plan.may_have_gaps(found, away)},
        window_start,
        window_end,
    )
    found: list[tuple[int, int, schedule.Segment, str]] = []
    due_at: dict[int, dt.datetime] = {}
    for rotation_id in fingerprints:
        gaps = schedule.gaps(upcoming.get(rotation_id, []))
        later = [gap.start for gap in gaps if gap.start >= now + GAP_HORIZON]
        due_at[rotation_id] = min(later, default=window_end) - GAP_HORIZON
        owner_id = owners[rotation_id]
        if owner_id is None:
            continue
        found.extend(
            (rotation_id, owner_id, gap, _gap_occurrence(rotation_id, gap, window_start))
            for gap in gaps
            if gap.end > now and gap.start < now + GAP_HORIZON
        )
    done = written((occurrence, owner_id) for _, owner_id, _, occurrence in found)
    untold = [entry for entry in found if (entry[3], entry[1]) not in done]
    rotations = Rotation.objects.select_related("programme__programme_owner").in_bulk(
        {rotation_id for rotation_id, *_ in untold}
    )
    messages = []
    for rotation_id, owner_id, gap, occurrence in untold:
        rotation = rotations.get(rotation_id)
        owner = rotation.programme.programme_owner if rotation is not None else None
        if rotation is None or owner is None or owner.pk != owner_id:
            # Deleted, or given another owner, since it was read: its fingerprint changed, so
            # the next tick works it out again.
            continue
        begins, ends = for_message(gap.start, owner.timezone), for_message(gap.end, owner.timezone)
        messages.append(
            Message(
                recipient=owner,
                programme=rotation.programme,
                kind=ROTATION_GAP,
                occurrence=occurrence,
                subject=f"{rotation.name}: nobody on call from {begins}",
                body=(
                    f"Nobody is on call for {rotation.name} ({rotation.programme.name}) "
                    f"from {begins} to {ends}. "
                    "Ask a member to cover, or add an override."
                ),
                link=rotation.get_absolute_url(),
            )
        )
    with transaction.atomic():
        created = notify_all(messages)
        rotation_checks.record_checks("remind_gaps", due_at, fingerprints)
    return created
