"""Governance's tables: one module per noun (stop conditions, reviews, readiness)."""

from .reviews import (
    OPEN_REVIEW_STATUSES,
    ActionItem,
    ActionStatus,
    Attendance,
    Decision,
    Review,
    ReviewDecisionKind,
    ReviewStatus,
    UpcomingChange,
)
from .stop_conditions import (
    ConditionState,
    Consequence,
    DecisionKind,
    Reading,
    StopCondition,
    StopConditionDecision,
    StopConditionTrip,
    StopConditionVersion,
    StopPolicy,
)

__all__ = [
    "OPEN_REVIEW_STATUSES",
    "ActionItem",
    "ActionStatus",
    "Attendance",
    "ConditionState",
    "Consequence",
    "Decision",
    "DecisionKind",
    "Reading",
    "Review",
    "ReviewDecisionKind",
    "ReviewStatus",
    "StopCondition",
    "StopConditionDecision",
    "StopConditionTrip",
    "StopConditionVersion",
    "StopPolicy",
    "UpcomingChange",
]
