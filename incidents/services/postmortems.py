"""Postmortems of major incidents and their action items."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError
from programmes.models import Person
from programmes.rules import Access

from .. import rules
from ..access import (
    require_may_change_action,
    require_may_work_on,
)
from ..models import (
    ActionItem,
    ActionStatus,
    Incident,
    Postmortem,
)


@transaction.atomic
def start_postmortem(*, actor: Any, incident: Incident, access: Access) -> Postmortem:
    """A postmortem: needed for SEV1 and SEV2 (opened when they resolve), allowed for any."""
    require_may_work_on(actor, incident, access)
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
    require_may_work_on(actor, postmortem.incident, access)
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
    require_may_work_on(actor, postmortem.incident, access)
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
    require_may_change_action(actor, action, access)
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
