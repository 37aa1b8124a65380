"""The review's decisions: typed, linked to the agenda item they decide. A decision on a
tripped stop condition is taken through the stop conditions' own service, so it is the same
record as on the condition's page; "defer" puts an item off with a reason."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit
from programmes.errors import DomainError, FieldErrors
from programmes.models import Person
from programmes.rules import Access

from ..models import (
    Decision,
    DecisionKind,
    Review,
    ReviewDecisionKind,
    StopCondition,
    StopConditionDecision,
)
from ..review_access import require_may_run_review
from .review_meeting import in_meeting
from .stop_conditions import record_decision as record_stop_condition_decision

STOP_CONDITION_ITEM = "stop-condition:"


def agenda_keys(review: Review) -> set[str]:
    snapshot = review.snapshot or {"sections": []}
    return {entry["key"] for section in snapshot["sections"] for entry in section["items"]}


def _stop_condition(review: Review, agenda_item: str) -> StopCondition | None:
    if not agenda_item.startswith(STOP_CONDITION_ITEM):
        return None
    return StopCondition.objects.filter(
        programme_id=review.programme_id, pk=agenda_item.removeprefix(STOP_CONDITION_ITEM)
    ).first()


def _decide_stop_condition(
    *,
    actor: Any,
    condition: StopCondition,
    access: Access,
    kind: str,
    text: str,
    decided_by: Person | None,
    revisit_on: dt.date | None,
) -> StopConditionDecision:
    if kind not in DecisionKind.values:
        raise DomainError(
            "A tripped stop condition is decided continue, rescope, pause or escalate, or "
            "deferred with a reason.",
            field="kind",
        )
    try:
        return record_stop_condition_decision(
            actor=actor,
            condition=condition,
            access=access,
            kind=kind,
            reason=text,
            decided_by=decided_by,
            revisit_on=revisit_on,
        )
    except DomainError as error:
        # The condition's service names the reason "reason"; here it is the decision's text.
        raise FieldErrors(
            {
                ("text" if field == "reason" else field): messages
                for field, messages in error.errors.items()
            }
        ) from error


@transaction.atomic
def record_decision(
    *,
    actor: Any,
    review: Review,
    access: Access,
    kind: str,
    text: str,
    agenda_item: str = "",
    decided_by: Person | None = None,
    revisit_on: dt.date | None = None,
) -> Decision:
    """A typed decision, linked to the agenda item it decides (or to the review as a whole).
    On a stop condition with a trip waiting, the stop condition's decision is recorded too (by
    ``decided_by``, the sponsor or an approver; the actor's own entry when left out)."""
    require_may_run_review(access)
    in_meeting(review, doing="record decisions")
    if kind not in ReviewDecisionKind.values:
        raise DomainError(
            f"A decision is one of: {', '.join(ReviewDecisionKind.values)}.", field="kind"
        )
    if not text.strip():
        message = (
            "Say why the item is deferred."
            if kind == ReviewDecisionKind.DEFER
            else "Write the decision down."
        )
        raise DomainError(message, field="text")
    if agenda_item and agenda_item not in agenda_keys(review):
        raise DomainError("That item is not on this review's agenda.", field="agenda_item")
    if kind == ReviewDecisionKind.DEFER and not agenda_item:
        raise DomainError("Say which agenda item is deferred.", field="agenda_item")
    condition = _stop_condition(review, agenda_item)
    shared = None
    if (
        condition is not None
        and kind != ReviewDecisionKind.DEFER
        and condition.trips.filter(decided_at__isnull=True).exists()
    ):
        shared = _decide_stop_condition(
            actor=actor,
            condition=condition,
            access=access,
            kind=kind,
            text=text.strip(),
            decided_by=decided_by,
            revisit_on=revisit_on,
        )
    decision = Decision.objects.create(
        review=review,
        kind=kind,
        text=text.strip(),
        agenda_item=agenda_item,
        decided_by=audit.acting_user(actor),
        decided_at=timezone.now(),
        stop_condition_decision=shared,
    )
    audit.record(
        actor=actor,
        action="create",
        instance=decision,
        programme=review.programme,
        after=audit.snapshot(decision),
    )
    return decision


def decided_items(review: Review) -> set[str]:
    """The agenda items decided or deferred: by this review's decisions, or, for a stop
    condition, by a decision on its own page since the review started."""
    keys = {d.agenda_item for d in review.decisions.all() if d.text.strip()}
    if review.started_at is not None:
        keys |= {
            f"{STOP_CONDITION_ITEM}{condition_id}"
            for condition_id in StopConditionDecision.objects.filter(
                condition__programme_id=review.programme_id, decided_at__gte=review.started_at
            ).values_list("condition_id", flat=True)
        }
    return keys
