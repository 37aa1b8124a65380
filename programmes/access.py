"""Who may do what to a programme: one answer per kind of change, asked by the pages, the API and
the services alike. ``rules.access_for`` says what a membership gives; these say what it allows."""

from typing import Any

from .errors import NotAllowed
from .rules import Access
from .selectors import can_manage_people


def require_may_edit_programme(access: Access) -> None:
    if not access.can_edit:
        raise NotAllowed("Only the programme's editors and owners can change it.")


def require_may_change_stage(access: Access) -> None:
    if not access.can_transition:
        raise NotAllowed("Only the programme's editors and owners can change its stage.")


def require_may_manage_members(access: Access) -> None:
    if not access.can_manage_members:
        raise NotAllowed("Only the programme's owners can change who has access.")


def may_manage_tokens(access: Access) -> bool:
    """A programme's machine tokens are its owners' to see, create and revoke."""
    return access.can_manage_members


def require_may_manage_tokens(access: Access) -> None:
    if not may_manage_tokens(access):
        raise NotAllowed("Only the programme's owners manage its tokens.")


def require_may_manage_people(actor: Any) -> None:
    if not can_manage_people(actor):
        raise NotAllowed("Only staff and programme editors can change the people directory.")
