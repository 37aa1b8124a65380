"""Incidents' scheduled jobs: escalation of what nobody acknowledged, postmortem and action
reminders, and the serious-incident reporting clocks. Each writes notifications whose occurrence
names the incident or the day, so a repeated tick tells nobody twice; what is already written is
left out in one query (``programmes.outbox.written``) and the rest written in bulk."""

import datetime as dt
from collections import defaultdict

from django.db import transaction

from oncall import selectors as oncall_selectors
from oncall.models import Level
from programmes.models import Person
from programmes.outbox import Message, notify_many, written
from programmes.registry.jobs import scheduled_job
from programmes.registry.overdue_actions import OverdueAction, overdue_actions
from programmes.rules import LATE_NOTICE_LIMIT
from programmes.times import duration_words, for_message

from . import rules
from .models import ActionItem, ActionStatus, Incident, IncidentStatus, Postmortem
from .notification_kinds import (
    ACTIONS_OVERDUE,
    INCIDENT_ESCALATED,
    POSTMORTEM_DUE,
    REPORT_DEADLINE,
)


def _write_untold(messages: list[Message]) -> int:
    """Write the messages whose occurrence the recipient has not had yet."""
    done = written((message.occurrence, message.recipient.pk) for message in messages)
    with transaction.atomic():
        return len(
            notify_many(
                message
                for message in messages
                if (message.occurrence, message.recipient.pk) not in done
            )
        )


@scheduled_job
def escalate_unacknowledged_incidents(now: dt.datetime) -> int:
    """A SEV1 or SEV2 nobody acknowledged within ``ESCALATE_AFTER`` pages the secondary rotation's
    on-call person and the on-call lead, once."""
    waiting = list(
        Incident.objects.filter(
            status=IncidentStatus.TRIGGERED,
            severity__in=rules.MAJOR,
            opened_at__lte=now - rules.ESCALATE_AFTER,
            opened_at__gte=now - LATE_NOTICE_LIMIT,
        ).select_related("programme__oncall_lead", "responder")
    )
    if not waiting:
        return 0
    secondaries = list(
        oncall_selectors.rotations_of_programmes(
            [incident.programme_id for incident in waiting]
        ).filter(level=Level.SECONDARY)
    )
    on_call: dict[int, list[Person]] = defaultdict(list)
    for answer in oncall_selectors.on_call_now(secondaries, now):
        if answer.now is not None and answer.now.person_id is not None:
            on_call[answer.rotation.programme_id].append(answer.people[answer.now.person_id])
    messages: list[Message] = []
    for incident in waiting:
        programme = incident.programme
        people = {person.pk: person for person in on_call[programme.pk]}
        if programme.oncall_lead is not None:
            people[programme.oncall_lead.pk] = programme.oncall_lead
        for person in people.values():
            messages.append(
                Message(
                    recipient=person,
                    programme=programme,
                    kind=INCIDENT_ESCALATED,
                    occurrence=f"incident-escalated:{incident.pk}",
                    subject=f"[{incident.severity.upper()}] not acknowledged: {incident.title}",
                    body=(
                        f"{incident.title} ({programme.name}) was opened at "
                        f"{for_message(incident.opened_at, person.timezone)} and nobody has "
                        f"acknowledged it in {duration_words(rules.ESCALATE_AFTER)} "
                        "(responder: "
                        f"{incident.responder or 'nobody'}). Take it, or find who can."
                    ),
                    link=incident.get_absolute_url(),
                )
            )
    return _write_untold(messages)


@scheduled_job
def remind_postmortems(now: dt.datetime) -> int:
    """On its due day and once it is overdue, a postmortem reminds the responder and the
    programme owner."""
    messages: list[Message] = []
    today = now.date()
    postmortems = Postmortem.objects.filter(
        completed_at__isnull=True, due_on__lte=today
    ).select_related("incident__programme__programme_owner", "incident__responder")
    for postmortem in postmortems:
        incident = postmortem.incident
        state = "due" if postmortem.due_on == today else "overdue"
        people = {p.pk: p for p in (incident.responder, incident.programme.programme_owner) if p}
        for person in people.values():
            messages.append(
                Message(
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
                    link=incident.get_postmortem_url(),
                )
            )
    return _write_untold(messages)


def overdue_incident_actions(today: dt.date) -> list[OverdueAction]:
    """Postmortem actions past their due date: the incidents' part of the overdue digest."""
    overdue = ActionItem.objects.filter(status=ActionStatus.OPEN, due_on__lt=today).select_related(
        "owner", "postmortem__incident__programme"
    )
    return [
        OverdueAction(
            owner=a.owner,
            title=a.title,
            due_on=a.due_on,
            where=f"{a.postmortem.incident.programme.name}: {a.postmortem.incident.title}",
            link=a.postmortem.incident.get_postmortem_url(),
            programme_id=a.postmortem.incident.programme_id,
        )
        for a in overdue
    ]


@scheduled_job
def send_overdue_action_digests(now: dt.datetime) -> int:
    """Once a day, each owner of overdue actions (postmortem actions, and whatever other apps
    register in ``programmes.registry.overdue_actions``) gets one list of them."""
    messages: list[Message] = []
    today = now.date()
    by_owner: dict[int, list[OverdueAction]] = defaultdict(list)
    for action in overdue_actions(today):
        by_owner[action.owner.pk].append(action)
    for owner_id, actions in by_owner.items():
        lines = [f"• {a.title} — due {a.due_on:%d %b %Y} ({a.where})" for a in actions]
        messages.append(
            Message(
                recipient=actions[0].owner,
                kind=ACTIONS_OVERDUE,
                occurrence=f"actions-overdue:{owner_id}:{today:%Y-%m-%d}",
                subject=f"{len(actions)} overdue action(s)",
                body="These actions are past their due date:\n" + "\n".join(lines),
                link=actions[0].link,
            )
        )
    return _write_untold(messages)


@scheduled_job
def remind_report_deadlines(now: dt.datetime) -> int:
    """A serious incident's reporting clock reminds the risk & compliance owner at half-time and
    one day before the deadline."""
    messages: list[Message] = []
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
            messages.append(
                Message(
                    recipient=recipient,
                    programme=incident.programme,
                    kind=REPORT_DEADLINE,
                    occurrence=f"report-deadline:{incident.pk}:{name}",
                    subject=f"Serious incident report due {due_at}",
                    body=(
                        f"{incident.title} ({incident.programme.name}) is a serious incident"
                        f"{rules.serious_detail(incident.serious_kind)}. The report "
                        f"to the market surveillance authority is due {due_at}."
                    ),
                    link=incident.get_absolute_url(),
                )
            )
    return _write_untold(messages)
