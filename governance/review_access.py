"""Who may do what to weekly reviews: one answer per kind of change, asked by the pages, the API
and the services alike."""

from typing import Any

from programmes.errors import NotAllowed
from programmes.models import Person
from programmes.rules import Access
from programmes.selectors import person_of

from .models import ActionItem


def may_run_review(access: Access) -> bool:
    """Starting, recording and closing a review, moving or cancelling it, adding agenda items:
    the programme's editors and owners."""
    return access.can_edit


def require_may_run_review(access: Access) -> None:
    if not may_run_review(access):
        raise NotAllowed("Only the programme's editors and owners can run its reviews.")


def may_change_action(person: Person | None, action: ActionItem, access: Access) -> bool:
    """A review's action item is closed by its owner (``person``, the actor's directory entry)
    or by the programme's editors."""
    if access.can_edit:
        return True
    return person is not None and person.pk == action.owner_id


def require_may_change_action(actor: Any, action: ActionItem, access: Access) -> None:
    if not may_change_action(person_of(actor), action, access):
        raise NotAllowed("Only the action's owner or the programme's editors can change it.")
