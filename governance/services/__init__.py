"""Governance's writes, one module per noun, re-exported here."""

from .review_meeting import (  # noqa: F401
    add_action,
    add_upcoming_change,
    record_decision,
    save_notes,
    set_action_status,
    set_attendance,
)
from .reviews import (  # noqa: F401
    cancel_review,
    hold_review,
    mark_missed_reviews,
    move_review,
    plan_series,
    start_review,
)
