"""Governance's writes, one module per noun; the weekly review's are re-exported here."""

from .review_decisions import record_decision
from .review_meeting import (
    add_action,
    add_upcoming_change,
    save_notes,
    set_action_status,
    set_attendance,
)
from .review_series import plan_series, plan_series_of
from .reviews import (
    cancel_review,
    hold_review,
    mark_missed_reviews,
    move_review,
    start_review,
)

__all__ = [
    "add_action",
    "add_upcoming_change",
    "cancel_review",
    "hold_review",
    "mark_missed_reviews",
    "move_review",
    "plan_series",
    "plan_series_of",
    "record_decision",
    "save_notes",
    "set_action_status",
    "set_attendance",
    "start_review",
]
