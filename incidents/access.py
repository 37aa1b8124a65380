"""Who may do what to incidents: one answer per kind of change, asked by the pages, the API and
the services alike."""

from typing import Any

from programmes.errors import NotAllowed
from programmes.models import Person
from programmes.rules import Access
from programmes.selectors import person_of

from .models import ActionItem, Incident


def may_work_on(actor: Any, incident: Incident | None, access: Access) -> bool:
    """Editors and owners open incidents and work on any; an incident's responder works on it."""
    if access.can_edit:
        return True
    me = person_of(actor)
    return incident is not None and me is not None and me.pk == incident.responder_id


def require_may_work_on(actor: Any, incident: Incident | None, access: Access) -> None:
    if not may_work_on(actor, incident, access):
        if incident is None:
            raise NotAllowed("Only the programme's editors and owners can open incidents.")
        raise NotAllowed("Only the programme's editors and owners, or the responder, can do this.")


def may_report(access: Access) -> bool:
    """Marking an incident serious and recording its report to the authority are the editors'."""
    return access.can_edit


def require_may_report(access: Access, *, doing: str) -> None:
    if not may_report(access):
        raise NotAllowed(f"Only the programme's editors and owners can {doing}.")


def may_change_action(person: Person | None, action: ActionItem, access: Access) -> bool:
    """An action item changes by its owner (``person``, the actor's directory entry) or the
    programme's editors."""
    if access.can_edit:
        return True
    return person is not None and person.pk == action.owner_id


def require_may_change_action(actor: Any, action: ActionItem, access: Access) -> None:
    if not may_change_action(person_of(actor), action, access):
        raise NotAllowed("Only the action's owner or the programme's editors can change it.")


def may_change_runbooks(access: Access) -> bool:
    return access.can_edit


def require_may_change_runbooks(access: Access) -> None:
    if not may_change_runbooks(access):
        raise NotAllowed("Only the programme's editors and owners can change its runbooks.")
