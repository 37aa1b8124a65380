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

__all__ = [
    "Criterion",
    "CriterionStatus",
    "Decision",
    "DefinitionVersion",
    "Pillar",
    "ReadinessReview",
    "ReviewOutcome",
    "SignOff",
    "SignoffRole",
    "Waiver",
]
