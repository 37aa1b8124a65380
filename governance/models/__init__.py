"""Governance's tables: one module per noun (stop conditions, reviews, readiness)."""

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
    "DecisionKind",
    "Reading",
    "StopCondition",
    "StopConditionDecision",
    "StopConditionTrip",
    "StopConditionVersion",
    "StopPolicy",
]
