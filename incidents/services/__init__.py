"""Writes to incidents, one module per noun: incidents and their timeline, postmortems and their
actions, runbooks, and the Alertmanager webhook. Each runs in one transaction with its audit
event and its notifications, and refuses with a ``DomainError`` whose message is fit for a user."""

from .alertmanager import (
    receive_alertmanager,
)
from .incidents import (
    EDITABLE,
    add_note,
    change_status,
    mark_reported,
    mark_serious,
    open_incident,
    responder_at,
    update_incident,
)
from .postmortems import (
    add_action,
    set_action_status,
    start_postmortem,
    update_postmortem,
)
from .runbooks import (
    delete_runbook,
    save_runbook,
)
from .timeline import (
    add_timeline_entry,
)

__all__ = [
    "EDITABLE",
    "add_action",
    "add_note",
    "add_timeline_entry",
    "change_status",
    "delete_runbook",
    "mark_reported",
    "mark_serious",
    "open_incident",
    "receive_alertmanager",
    "responder_at",
    "save_runbook",
    "set_action_status",
    "start_postmortem",
    "update_incident",
    "update_postmortem",
]
