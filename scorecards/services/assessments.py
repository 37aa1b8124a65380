"""Assessments: the owner's RAG judgement of a metric, with its reason."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit
from programmes.errors import DomainError
from programmes.rules import Access
from programmes.services import full_clean_or_refuse

from .. import selectors
from ..access import require_may_change_scorecard
from ..models import (
    Assessment,
    Metric,
    Rag,
)


@transaction.atomic
def record_assessment(
    *,
    actor: Any,
    metric: Metric,
    access: Access,
    confidence: int,
    rag_override: str = "",
    reason: str = "",
) -> Assessment:
    """Record the owner's confidence and, if they disagree with the computed RAG, an override."""
    require_may_change_scorecard(access)
    reason = reason.strip()
    if rag_override and rag_override not in Rag.values:
        raise DomainError("The override is green, amber or red.", field="rag_override")
    if rag_override and not reason:
        raise DomainError(
            "Say why the RAG is overridden; the reason is shown beside it.", field="reason"
        )
    computed = selectors.status_of(metric, timezone.now()).rag
    assessment = Assessment(
        metric=metric,
        confidence=confidence,
        rag_override=rag_override,
        reason=reason,
        computed_rag=computed,
        by=audit.acting_user(actor),
    )
    full_clean_or_refuse(assessment, exclude=["by"])
    assessment.save()
    audit.record(
        actor=actor,
        action="assess",
        instance=metric,
        programme=metric.programme,
        after={
            "confidence": confidence,
            "rag_override": rag_override or None,
            "computed_rag": computed,
            "reason": reason,
        },
    )
    return assessment
