"""Who may change on-call: one answer per kind of change, asked by the pages, the API and the
services alike."""

from typing import Any

from programmes.errors import NotAllowed
from programmes.models import Person
from programmes.rules import Access
from programmes.selectors import person_of

from . import selectors
from .models import CalendarFeedToken

ROTATIONS_REFUSAL = "Only the programme's editors and owners can change its rotations."


def may_change_rotations(access: Access) -> bool:
    """Rotations, their overrides and cover requests change with the right to edit the
    programme."""
    return access.can_edit


def require_may_change_rotations(access: Access) -> None:
    if not may_change_rotations(access):
        raise NotAllowed(ROTATIONS_REFUSAL)


def require_may_revoke_feed_token(
    actor: Any, token: CalendarFeedToken, access: Access | None
) -> None:
    """A calendar link is revoked by whoever made it, or an editor of its rotation's programme."""
    if not selectors.may_revoke_feed_token(actor, token, access):
        raise NotAllowed("Only whoever made the link, or an editor, can revoke it.")


def require_may_ask_for_cover(actor: Any, requester: Person, access: Access) -> None:
    """People ask for cover for themselves; an editor asks for anyone."""
    if not may_change_rotations(access) and person_of(actor) != requester:
        raise NotAllowed("Ask for cover for yourself, or as an editor of the programme.")
