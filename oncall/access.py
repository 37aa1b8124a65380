"""Who may change on-call: one answer per kind of change, asked by the pages, the API and the
services alike."""

from programmes.errors import NotAllowed
from programmes.rules import Access

ROTATIONS_REFUSAL = "Only the programme's editors and owners can change its rotations."


def may_change_rotations(access: Access) -> bool:
    """Rotations, their overrides and cover requests change with the right to edit the
    programme."""
    return access.can_edit


def require_may_change_rotations(access: Access) -> None:
    if not may_change_rotations(access):
        raise NotAllowed(ROTATIONS_REFUSAL)
