"""Writes to incidents: opening (by hand, API or Alertmanager), status changes, notes, serious
incidents, postmortems and their actions, runbooks. Each runs in one transaction with its audit
event, timeline entry and notifications, and refuses with a ``DomainError``."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from oncall import selectors as oncall_selectors
from oncall.models import Level
from programmes import audit, bounds
from programmes.errors import DomainError, NotAllowed
from programmes.models import Person, Programme
from programmes.notifications import notify
from programmes.rules import Access
from programmes.selectors import person_of
from programmes.services import full_clean_or_refuse
from programmes.times import for_message

from . import rules
from .models import (
    ActionItem,
    ActionStatus,
    Incident,
    IncidentSource,
    IncidentStatus,
    Postmortem,
    Runbook,
    SeriousKind,
    Severity,
    TimelineEntry,
    TimelineKind,
)
from .notification_kinds import INCIDENT_OPENED

EDITABLE = (
    "title",
    "severity",
    "description",
    "impact",
    "model_version",
    "evaluation_run",
    "harm_category",
    "metric",
    "runbook",
)


def may_work_on(actor: Any, incident: Incident | None, access: Access) -> bool:
    """Editors and owners, and the incident's responder, work on an incident."""
    if access.can_edit:
        return True
    me = person_of(actor)
    return incident is not None and me is not None and me.pk == incident.responder_id


def _may_work_on(actor: Any, incident: Incident | None, access: Access) -> None:
    if not may_work_on(actor, incident, access):
        if incident is None:
            raise NotAllowed("Only the programme's editors and owners can open incidents.")
        raise NotAllowed("Only the programme's editors and owners, or the responder, can do this.")


def _entry(
    incident: Incident, kind: str, actor: Any, text: str = "", **extra: Any
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        incident=incident,
        at=extra.pop("at", None) or timezone.now(),
        kind=kind,
        author=audit.acting_user(actor),
        author_label=audit.actor_label(actor),
        text=text,
        **extra,
    )


def responder_at(programme: Programme, at: dt.datetime) -> Person | None:
    """Whoever is on call on the programme's primary rotation at ``at``."""
    rotations = [
        r for r in oncall_selectors.programme_rotations(programme) if r.level == Level.PRIMARY
    ]
    for answer in oncall_selectors.on_call_now(rotations, at):
        if answer.now is not None and answer.now.person_id is not None:
            return answer.people.get(answer.now.person_id)
    return None


def _refuse_other_programmes_links(incident: Incident) -> None:
    """An incident may name only its own programme's metric and runbook."""
    if incident.metric is not None and incident.metric.programme_id != incident.programme_id:
        raise DomainError("That metric belongs to another programme.", field="metric")
    if incident.runbook is not None and incident.runbook.programme_id != incident.programme_id:
        raise DomainError("That runbook belongs to another programme.", field="runbook")


def _check_severity(severity: str) -> None:
    if severity not in Severity.values:
        raise DomainError(
            f"“{severity}” is not a severity. Use one of: {', '.join(Severity.values)}.",
            field="severity",
        )


@transaction.atomic
def open_incident(
    *,
    actor: Any,
    programme: Programme,
    access: Access | None,
    title: str,
    severity: str,
    source: str = IncidentSource.MANUAL,
    fingerprint: str = "",
    **fields: Any,
) -> Incident:
    """Open an incident and page whoever is on call on the primary rotation."""
    if access is not None:
        _may_work_on(actor, None, access)
    _check_severity(severity)
    now = timezone.now()
    incident = Incident(
        programme=programme,
        title=title.strip(),
        severity=severity,
        source=source,
        fingerprint=fingerprint,
        opened_at=now,
        responder=responder_at(programme, now),
        created_by=audit.acting_user(actor),
        **fields,
    )
    full_clean_or_refuse(incident, exclude=["created_by", "responder", "metric", "runbook"])
    _refuse_other_programmes_links(incident)
    incident.save()
    responder = incident.responder
    _entry(
        incident,
        TimelineKind.OPENED,
        actor,
        f"Opened as {incident.get_severity_display()}"
        + (f"; paged {responder}." if responder else "; nobody is on call to page."),
    )
    audit.record(
        actor=actor,
        action="create",
        instance=incident,
        programme=programme,
        after=audit.snapshot(incident),
    )
    if responder is not None:
        notify(
            recipient=responder,
            programme=programme,
            kind=INCIDENT_OPENED,
            occurrence=f"incident-opened:{incident.pk}",
            subject=f"[{severity.upper()}] {programme.name}: {incident.title}",
            body=(
                f"You are on call and the responder for “{incident.title}” "
                f"({incident.get_severity_display()}). Acknowledge it in Keel"
                + (" within 15 minutes, or it is escalated." if severity in rules.MAJOR else ".")
            ),
            link=incident.get_absolute_url(),
        )
    return incident


@transaction.atomic
def change_status(
    *,
    actor: Any,
    incident: Incident,
    access: Access | None,
    status: str,
    reason: str = "",
    acknowledging: bool = True,
) -> Incident:
    """Move an incident along triggered → acknowledged → mitigated → resolved; back only with a
    reason. Resolving a SEV1 or SEV2 opens its postmortem, due in 5 working days.

    A forward move fills the times of the steps it skips, except the acknowledgement when
    ``acknowledging`` is False (an alert that stopped by itself was acknowledged by nobody).
    """
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if access is not None:
        _may_work_on(actor, locked, access)
    reason = reason.strip()
    refusal = rules.transition_refusal(locked.status, status, reason)
    if refusal:
        raise DomainError(refusal, field="status")
    now = timezone.now()
    previous = locked.status
    stamps = {
        IncidentStatus.ACKNOWLEDGED: "acknowledged_at",
        IncidentStatus.MITIGATED: "mitigated_at",
        IncidentStatus.RESOLVED: "resolved_at",
    }
    if rules.ORDER.index(IncidentStatus(status)) > rules.ORDER.index(IncidentStatus(previous)):
        for passed in rules.statuses_passed(previous, status):
            field = stamps[IncidentStatus(passed)]
            if passed == IncidentStatus.ACKNOWLEDGED and not acknowledging:
                continue
            if getattr(locked, field) is None:
                setattr(locked, field, now)
    else:
        later = rules.ORDER[rules.ORDER.index(IncidentStatus(status)) + 1 :]
        for undone in later:
            setattr(locked, stamps[undone], None)
    locked.status = status
    locked.save()
    text = f"{IncidentStatus(previous).label} → {IncidentStatus(status).label}"
    _entry(locked, TimelineKind.STATUS, actor, text + (f": {reason}" if reason else ""))
    audit.record(
        actor=actor,
        action="status",
        instance=locked,
        programme=locked.programme,
        before={"status": previous},
        after={"status": status, **({"reason": reason} if reason else {})},
    )
    if status == IncidentStatus.RESOLVED and locked.severity in rules.MAJOR:
        Postmortem.objects.get_or_create(
            incident=locked, defaults={"due_on": rules.postmortem_due(now.date())}
        )
    return locked


@transaction.atomic
def add_note(*, actor: Any, incident: Incident, access: Access, text: str) -> TimelineEntry:
    _may_work_on(actor, incident, access)
    if not text.strip():
        raise DomainError("Write something for the note.", field="text")
    entry = _entry(incident, TimelineKind.NOTE, actor, text.strip())
    audit.record(
        actor=actor,
        action="note",
        instance=incident,
        programme=incident.programme,
        after={"note": text.strip()[:500]},
    )
    return entry


@transaction.atomic
def update_incident(*, actor: Any, incident: Incident, access: Access, **changes: Any) -> Incident:
    _may_work_on(actor, incident, access)
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    before = audit.snapshot(locked)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(f"{field} cannot be changed here.", field=field)
    if "severity" in changes:
        _check_severity(changes["severity"])
    for name, value in changes.items():
        setattr(locked, name, value)
    full_clean_or_refuse(locked, exclude=["created_by", "responder", "metric", "runbook"])
    _refuse_other_programmes_links(locked)
    locked.save()
    changed_before, changed_after = audit.record_update(
        actor=actor, instance=locked, programme=locked.programme, before=before
    )
    if "severity" in changed_after:
        _entry(
            locked,
            TimelineKind.SEVERITY,
            actor,
            f"Severity {Severity(changed_before['severity']).label} → "
            f"{Severity(changed_after['severity']).label}",
        )
    return locked


@transaction.atomic
def mark_serious(*, actor: Any, incident: Incident, access: Access, kind: str) -> Incident:
    """A serious incident in the EU AI Act's sense: the reporting clock starts now."""
    if not access.can_edit:
        raise NotAllowed("Only the programme's editors and owners can mark an incident serious.")
    if kind not in SeriousKind.values:
        raise DomainError(
            f"“{kind}” is not a kind of serious incident: {', '.join(SeriousKind.values)}.",
            field="kind",
        )
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.serious_kind:
        raise DomainError("This incident is already marked serious; its clock is running.")
    now = timezone.now()
    locked.serious_kind = kind
    locked.serious_since = now
    locked.report_due_at = rules.report_deadline(kind, now)
    locked.save()
    _entry(
        locked,
        TimelineKind.SERIOUS,
        actor,
        f"Marked serious{rules.serious_detail(kind)}; report due "
        f"{for_message(locked.report_due_at, 'UTC')}.",
    )
    audit.record(
        actor=actor,
        action="mark_serious",
        instance=locked,
        programme=locked.programme,
        after={"serious_kind": kind, "report_due_at": locked.report_due_at.isoformat()},
    )
    return locked


@transaction.atomic
def mark_reported(*, actor: Any, incident: Incident, access: Access) -> Incident:
    if not access.can_edit:
        raise NotAllowed("Only the programme's editors and owners can record the report.")
    if not incident.serious_kind:
        raise DomainError("Only a serious incident is reported to the authority.")
    if incident.reported_at is not None:
        raise DomainError("The report is already recorded.")
    incident.reported_at = timezone.now()
    incident.save(update_fields=["reported_at", "updated_at"])
    _entry(incident, TimelineKind.REPORTED, actor, "Reported to the market surveillance authority.")
    audit.record(
        actor=actor,
        action="reported",
        instance=incident,
        programme=incident.programme,
        after={"reported_at": incident.reported_at.isoformat()},
    )
    return incident


# Postmortems -------------------------------------------------------------------------------------


@transaction.atomic
def start_postmortem(*, actor: Any, incident: Incident, access: Access) -> Postmortem:
    """A postmortem: needed for SEV1 and SEV2 (opened when they resolve), allowed for any."""
    _may_work_on(actor, incident, access)
    base = (incident.resolved_at or timezone.now()).date()
    postmortem, created = Postmortem.objects.get_or_create(
        incident=incident, defaults={"due_on": rules.postmortem_due(base)}
    )
    if created:
        audit.record(
            actor=actor,
            action="create",
            instance=postmortem,
            programme=incident.programme,
            after=audit.snapshot(postmortem),
        )
    return postmortem


@transaction.atomic
def update_postmortem(
    *, actor: Any, postmortem: Postmortem, access: Access, complete: bool = False, **changes: Any
) -> Postmortem:
    _may_work_on(actor, postmortem.incident, access)
    before = audit.snapshot(postmortem)
    for name in ("summary", "contributing_factors", "went_well"):
        if name in changes:
            setattr(postmortem, name, changes[name])
    if complete and postmortem.completed_at is None:
        if not postmortem.summary.strip():
            raise DomainError(
                "Write the summary before completing the postmortem.", field="summary"
            )
        postmortem.completed_at = timezone.now()
    postmortem.save()
    audit.record_update(
        actor=actor, instance=postmortem, programme=postmortem.incident.programme, before=before
    )
    return postmortem


@transaction.atomic
def add_action(
    *,
    actor: Any,
    postmortem: Postmortem,
    access: Access,
    title: str,
    owner: Person | None,
    due_on: dt.date | None,
) -> ActionItem:
    _may_work_on(actor, postmortem.incident, access)
    if not title.strip():
        raise DomainError("Say what is to be done.", field="title")
    if owner is None:
        raise DomainError(
            "Every action has an owner: name the person who will do it.", field="owner"
        )
    if due_on is None:
        raise DomainError("Give the action a due date.", field="due_on")
    bounds.refuse_outside(due_on, bounds.SCHEDULE, field="due_on", now=timezone.now())
    action = ActionItem.objects.create(
        postmortem=postmortem, title=title.strip(), owner=owner, due_on=due_on
    )
    audit.record(
        actor=actor,
        action="create",
        instance=action,
        programme=postmortem.incident.programme,
        after=audit.snapshot(action),
    )
    return action


@transaction.atomic
def set_action_status(*, actor: Any, action: ActionItem, access: Access, status: str) -> ActionItem:
    me = person_of(actor)
    if not access.can_edit and (me is None or me.pk != action.owner_id):
        raise NotAllowed("Only the action's owner or the programme's editors can change it.")
    if status not in ActionStatus.values:
        raise DomainError("An action is open or done.", field="status")
    before = {"status": action.status}
    action.status = status
    action.done_at = timezone.now() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_at"])
    audit.record(
        actor=actor,
        action="update",
        instance=action,
        programme=action.postmortem.incident.programme,
        before=before,
        after={"status": status},
    )
    return action


# Runbooks ----------------------------------------------------------------------------------------


@transaction.atomic
def save_runbook(
    *,
    actor: Any,
    programme: Programme,
    access: Access,
    runbook: Runbook | None = None,
    title: str,
    body: str,
) -> Runbook:
    if not access.can_edit:
        raise NotAllowed("Only the programme's editors and owners can change its runbooks.")
    title = title.strip()
    if not title:
        raise DomainError("Give the runbook a title.", field="title")
    same_title = programme.runbooks.filter(title=title)
    if runbook is not None:
        same_title = same_title.exclude(pk=runbook.pk)
    if same_title.exists():
        raise DomainError(f"This programme already has a runbook called “{title}”.", field="title")
    before = audit.snapshot(runbook) if runbook is not None else None
    if runbook is None:
        runbook = Runbook(programme=programme)
    runbook.title, runbook.body = title, body
    runbook.save()
    if before is None:
        audit.record(
            actor=actor,
            action="create",
            instance=runbook,
            programme=programme,
            after=audit.snapshot(runbook),
        )
    else:
        audit.record_update(actor=actor, instance=runbook, programme=programme, before=before)
    return runbook


@transaction.atomic
def delete_runbook(*, actor: Any, runbook: Runbook, access: Access) -> None:
    if not access.can_edit:
        raise NotAllowed("Only the programme's editors and owners can change its runbooks.")
    audit.record(
        actor=actor,
        action="delete",
        instance=runbook,
        programme=runbook.programme,
        before=audit.snapshot(runbook),
    )
    runbook.delete()


# Alertmanager ------------------------------------------------------------------------------------


@transaction.atomic
def receive_alertmanager(*, programme: Programme, token_name: str, payload: Any) -> dict[str, Any]:
    """Act on an Alertmanager webhook: a firing group opens an incident, or adds to the open one
    with the same groupKey; the same notification again changes nothing; a resolved group moves
    its incident to mitigated (a person confirms and resolves it)."""
    group = rules.parse_alertmanager(payload)
    # The programme's row lock makes two deliveries of one group take turns.
    Programme.objects.select_for_update().get(pk=programme.pk)
    incident = (
        Incident.objects.filter(programme=programme, fingerprint=group.group_key)
        .exclude(status=IncidentStatus.RESOLVED)
        .order_by("-opened_at")
        .first()
    )
    actor_label = f"alertmanager:{token_name}"
    created = False
    if incident is None:
        if group.status == "resolved":
            return {"incident": None, "created": False, "recorded": False}
        incident = open_incident(
            actor=None,
            programme=programme,
            access=None,
            title=group.title,
            severity=group.severity,
            source=IncidentSource.ALERTMANAGER,
            fingerprint=group.group_key,
            description=group.description,
        )
        created = True
    names = ", ".join(sorted({str(a["labels"].get("alertname", "alert")) for a in group.alerts}))
    try:
        with transaction.atomic():
            TimelineEntry.objects.create(
                incident=incident,
                at=timezone.now(),
                kind=TimelineKind.ALERT,
                author_label=actor_label,
                text=f"Alertmanager: {group.status} — {len(group.alerts)} alert(s): {names}",
                payload=payload,
                dedupe_key=group.digest,
            )
    except IntegrityError:
        return {"incident": incident, "created": False, "recorded": False}
    if group.status == "resolved" and incident.status in (
        IncidentStatus.TRIGGERED,
        IncidentStatus.ACKNOWLEDGED,
    ):
        change_status(
            actor=None,
            incident=incident,
            access=None,
            status=IncidentStatus.MITIGATED,
            acknowledging=False,
        )
    return {"incident": incident, "created": created, "recorded": True}
