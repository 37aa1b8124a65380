"""Governance's writes, one module per noun; the weekly review's are re-exported here."""

from .review_decisions import record_decision
from .review_meeting import (
    add_action,
    add_upcoming_change,
    save_notes,
    set_action_status,
    set_attendance,
)
from .reviews import (
    cancel_review,
    hold_review,
    mark_missed_reviews,
    move_review,
    plan_series,
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
    "record_decision",
    "save_notes",
    "set_action_status",
    "set_attendance",
    "start_review",
]
