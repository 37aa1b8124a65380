"""On-call's scheduled jobs, run on every scheduler tick in the order they are defined here
(handoff rows are prepared before the reminders read them). Each finds what is due and writes
notifications whose occurrence names the handoff or the gap, so a repeated tick tells nobody
twice."""

import datetime as dt
from collections import defaultdict

from django.db import transaction

from programmes.models import ACTIVE_STAGES, Person, Stage
from programmes.notifications import notify
from programmes.registry.jobs import scheduled_job
from programmes.times import for_message

from . import handoffs, incident_rules, schedule, selectors
from .models import (
    ActionItem,
    ActionStatus,
    Handoff,
    Incident,
    IncidentStatus,
    Level,
    Postmortem,
    Rotation,
)
from .notification_kinds import (
    ACTIONS_OVERDUE,
    HANDOFF,
    HANDOFF_UNACKNOWLEDGED,
    INCIDENT_ESCALATED,
    POSTMORTEM_DUE,
    REPORT_DEADLINE,
    ROTATION_GAP,
    SHIFT_SOON,
)

SHIFT_SOON_NOTICE = dt.timedelta(hours=1)
UNACKNOWLEDGED_AFTER = dt.timedelta(minutes=30)
# A handoff missed by more than this (Keel was down) is not announced late.
STALE_AFTER = dt.timedelta(hours=6)
GAP_HORIZON = dt.timedelta(days=7)
GAP_CONTEXT = dt.timedelta(days=30)


def _rotations() -> list[Rotation]:
    return list(
        Rotation.objects.select_related("programme__programme_owner", "programme__oncall_lead")
        .prefetch_related(selectors._versions_prefetch())
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
        .prefetch_related(selectors._versions_prefetch())
    )
    return handoffs.prepare_handoffs(rotations, since=now - STALE_AFTER, now=now)


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
                        "when you have it (from 15 minutes before)."
                    ),
                    link=f"/oncall/{rotation.pk}/handoff/",
                )
            )
    return written


@scheduled_job
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
                        kind=HANDOFF,
                        occurrence=f"handoff-now:{handoff.pk}",
                        subject=f"{rotation.name}: handoff now",
                        body=(
                            f"{rotation.name} changes hands at "
                            f"{for_message(handoff.starts_at, person.timezone)}: "
                            f"{handoff.outgoing or 'nobody'} → {handoff.incoming or 'nobody'}. "
                            "Outgoing: leave your notes. Incoming: acknowledge when you have it."
                        ),
                        link=f"/oncall/{rotation.pk}/handoff/",
                    )
                )
    return written


@scheduled_job
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
                        "acknowledged after 30 minutes. Check that somebody has the pager; you "
                        "can acknowledge for them on the handoff page, with a reason."
                    ),
                    link=f"/oncall/{rotation.pk}/handoff/",
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


# Incidents -------------------------------------------------------------------------------------


@scheduled_job
def escalate_unacknowledged_incidents(now: dt.datetime) -> int:
    """A SEV1 or SEV2 nobody acknowledged within 15 minutes pages the secondary rotation's
    on-call person and the on-call lead, once."""
    written = 0
    waiting = Incident.objects.filter(
        status=IncidentStatus.TRIGGERED,
        severity__in=incident_rules.MAJOR,
        opened_at__lte=now - incident_rules.ESCALATE_AFTER,
        opened_at__gte=now - STALE_AFTER,
    ).select_related("programme__oncall_lead", "responder")
    for incident in waiting:
        programme = incident.programme
        secondaries = [
            r for r in selectors.programme_rotations(programme) if r.level == Level.SECONDARY
        ]
        people: dict[int, Person] = {}
        for answer in selectors.on_call_now(secondaries, now):
            if answer.now is not None and answer.now.person_id is not None:
                person = answer.people[answer.now.person_id]
                people[person.pk] = person
        if programme.oncall_lead is not None:
            people[programme.oncall_lead.pk] = programme.oncall_lead
        for person in people.values():
            with transaction.atomic():
                written += len(
                    notify(
                        recipient=person,
                        programme=programme,
                        kind=INCIDENT_ESCALATED,
                        occurrence=f"incident-escalated:{incident.pk}",
                        subject=f"[{incident.severity.upper()}] not acknowledged: {incident.title}",
                        body=(
                            f"{incident.title} ({programme.name}) was opened at "
                            f"{for_message(incident.opened_at, person.timezone)} and nobody has "
                            "acknowledged it in 15 minutes (responder: "
                            f"{incident.responder or 'nobody'}). Take it, or find who can."
                        ),
                        link=incident.get_absolute_url(),
                    )
                )
    return written


@scheduled_job
def remind_postmortems(now: dt.datetime) -> int:
    """On its due day and once it is overdue, a postmortem reminds the responder and the
    programme owner."""
    written = 0
    today = now.date()
    postmortems = Postmortem.objects.filter(
        completed_at__isnull=True, due_on__lte=today
    ).select_related("incident__programme__programme_owner", "incident__responder")
    for postmortem in postmortems:
        incident = postmortem.incident
        state = "due" if postmortem.due_on == today else "overdue"
        people = {p.pk: p for p in (incident.responder, incident.programme.programme_owner) if p}
        for person in people.values():
            with transaction.atomic():
                written += len(
                    notify(
                        recipient=person,
                        programme=incident.programme,
                        kind=POSTMORTEM_DUE,
                        occurrence=f"postmortem-{state}:{postmortem.pk}",
                        subject=f"Postmortem {state}: {incident.title}",
                        body=(
                            f"The postmortem of {incident.title} ({incident.programme.name}) "
                            f"{'is due today' if state == 'due' else 'is overdue'} "
                            f"({postmortem.due_on:%d %b %Y}). Write the summary, the "
                            "contributing factors and the action items."
                        ),
                        link=incident.get_absolute_url() + "#postmortem",
                    )
                )
    return written


@scheduled_job
def send_overdue_action_digests(now: dt.datetime) -> int:
    """Once a day, each owner of overdue incident actions gets one list of them."""
    written = 0
    today = now.date()
    overdue = ActionItem.objects.filter(status=ActionStatus.OPEN, due_on__lt=today).select_related(
        "owner", "postmortem__incident__programme"
    )
    by_owner: dict[int, list[ActionItem]] = defaultdict(list)
    for action in overdue:
        by_owner[action.owner_id].append(action)
    for actions in by_owner.values():
        owner = actions[0].owner
        lines = [
            f"• {a.title} — due {a.due_on:%d %b %Y} ({a.postmortem.incident.programme.name}: "
            f"{a.postmortem.incident.title})"
            for a in actions
        ]
        with transaction.atomic():
            written += len(
                notify(
                    recipient=owner,
                    kind=ACTIONS_OVERDUE,
                    occurrence=f"actions-overdue:{owner.pk}:{today:%Y-%m-%d}",
                    subject=f"{len(actions)} overdue incident action(s)",
                    body="These incident actions are past their due date:\n" + "\n".join(lines),
                    link=actions[0].postmortem.incident.get_absolute_url() + "#postmortem",
                )
            )
    return written


@scheduled_job
def remind_report_deadlines(now: dt.datetime) -> int:
    """A serious incident's reporting clock reminds the risk & compliance owner at half-time and
    one day before the deadline."""
    written = 0
    running = Incident.objects.filter(
        report_due_at__isnull=False, reported_at__isnull=True, report_due_at__gt=now
    ).select_related("programme__risk_owner", "programme__programme_owner")
    for incident in running:
        since, due = incident.serious_since, incident.report_due_at
        assert since is not None
        assert due is not None
        recipient = incident.programme.risk_owner or incident.programme.programme_owner
        if recipient is None:
            continue
        moments = [("half-time", since + (due - since) / 2), ("day-before", due - dt.timedelta(1))]
        for name, moment in moments:
            if now < moment:
                continue
            due_at = for_message(due, recipient.timezone)
            with transaction.atomic():
                written += len(
                    notify(
                        recipient=recipient,
                        programme=incident.programme,
                        kind=REPORT_DEADLINE,
                        occurrence=f"report-deadline:{incident.pk}:{name}",
                        subject=f"Serious incident report due {due_at}",
                        body=(
                            f"{incident.title} ({incident.programme.name}) is a serious incident"
                            f"{incident_rules.serious_detail(incident.serious_kind)}. The report "
                            f"to the market surveillance authority is due {due_at}."
                        ),
                        link=incident.get_absolute_url(),
                    )
                )
    return written
