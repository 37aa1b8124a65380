"""Incidents: opened (paging the responder), moved through their statuses, noted, edited,
marked serious and reported."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from oncall import selectors as oncall_selectors
from oncall.models import Level
from programmes import audit
from programmes.errors import DomainError
from programmes.models import Person, Programme
from programmes.notifications import notify
from programmes.registry.data_changes import INCIDENT, programme_data_changed
from programmes.rules import Access
from programmes.services import full_clean_or_refuse
from programmes.times import duration_words, for_message

from .. import rules
from ..access import (
    require_may_report,
    require_may_work_on,
)
from ..models import (
    Incident,
    IncidentSource,
    IncidentStatus,
    Postmortem,
    SeriousKind,
    Severity,
    TimelineEntry,
    TimelineKind,
)
from ..notification_kinds import INCIDENT_OPENED
from .timeline import add_timeline_entry

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
        require_may_work_on(actor, None, access)
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
    programme_data_changed(programme.pk, INCIDENT)
    responder = incident.responder
    add_timeline_entry(
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
                + (
                    f" within {duration_words(rules.ESCALATE_AFTER)}, or it is escalated."
                    if severity in rules.MAJOR
                    else "."
                )
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
        require_may_work_on(actor, locked, access)
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
    add_timeline_entry(locked, TimelineKind.STATUS, actor, text + (f": {reason}" if reason else ""))
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
    require_may_work_on(actor, incident, access)
    if not text.strip():
        raise DomainError("Write something for the note.", field="text")
    entry = add_timeline_entry(incident, TimelineKind.NOTE, actor, text.strip())
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
    require_may_work_on(actor, incident, access)
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
        add_timeline_entry(
            locked,
            TimelineKind.SEVERITY,
            actor,
            f"Severity {Severity(changed_before['severity']).label} → "
            f"{Severity(changed_after['severity']).label}",
        )
        programme_data_changed(locked.programme_id, INCIDENT)
    return locked


@transaction.atomic
def mark_serious(*, actor: Any, incident: Incident, access: Access, kind: str) -> Incident:
    """A serious incident in the EU AI Act's sense: the reporting clock starts now."""
    require_may_report(access, doing="mark an incident serious")
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
    add_timeline_entry(
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
    require_may_report(access, doing="record the report")
    if not incident.serious_kind:
        raise DomainError("Only a serious incident is reported to the authority.")
    if incident.reported_at is not None:
        raise DomainError("The report is already recorded.")
    incident.reported_at = timezone.now()
    incident.save(update_fields=["reported_at", "updated_at"])
    add_timeline_entry(
        incident, TimelineKind.REPORTED, actor, "Reported to the market surveillance authority."
    )
    audit.record(
        actor=actor,
        action="reported",
        instance=incident,
        programme=incident.programme,
        after={"reported_at": incident.reported_at.isoformat()},
    )
    return incident
