"""Governance's tables: one module per noun (stop conditions, reviews, readiness)."""

from .reviews import (  # noqa: F401
    OPEN_REVIEW_STATUSES,
    ActionItem,
    ActionStatus,
    Attendance,
    Decision,
    DecisionKind,
    Review,
    ReviewStatus,
    UpcomingChange,
)
