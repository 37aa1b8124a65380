"""Runbooks: what to do when something goes wrong, per programme."""

from typing import Any

from django.db import transaction

from programmes import audit
from programmes.errors import DomainError
from programmes.models import Programme
from programmes.rules import Access

from ..access import (
    require_may_change_runbooks,
)
from ..models import (
    Runbook,
)


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
    require_may_change_runbooks(access)
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
    require_may_change_runbooks(access)
    audit.record(
        actor=actor,
        action="delete",
        instance=runbook,
        programme=runbook.programme,
        before=audit.snapshot(runbook),
    )
    runbook.delete()
