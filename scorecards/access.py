"""Who may change a scorecard: one answer per kind of change, asked by the pages, the API and the
services alike."""

from programmes.errors import NotAllowed
from programmes.rules import Access


def may_change_scorecard(access: Access) -> bool:
    """Metrics (their definition, baseline and assessments) change with the right to edit."""
    return access.can_edit


def require_may_change_scorecard(access: Access) -> None:
    if not may_change_scorecard(access):
        raise NotAllowed("Only the programme's editors and owners can change its scorecard.")


def may_record_measurements(access: Access) -> bool:
    """Editors, owners and the programme's measurement token record measurements."""
    return access.can_add_measurements


def require_may_record_measurements(access: Access) -> None:
    if not may_record_measurements(access):
        raise NotAllowed("Only the programme's editors and owners can record measurements.")
