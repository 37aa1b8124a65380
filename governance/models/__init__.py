"""Governance's tables: one module per noun (stop conditions, reviews, readiness)."""

from .readiness import (
    Criterion,
    CriterionStatus,
    Decision,
    DefinitionVersion,
    Pillar,
    ReadinessReview,
    ReviewOutcome,
    SignOff,
    SignoffRole,
    Waiver,
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
    "ConditionState",
    "Consequence",
    "Criterion",
    "CriterionStatus",
    "Decision",
    "DecisionKind",
    "DefinitionVersion",
    "Pillar",
    "ReadinessReview",
    "Reading",
    "ReviewOutcome",
    "SignOff",
    "SignoffRole",
    "StopCondition",
    "StopConditionDecision",
    "StopConditionTrip",
    "StopConditionVersion",
    "StopPolicy",
    "Waiver",
]
