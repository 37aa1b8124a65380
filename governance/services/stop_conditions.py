"""Stop conditions: written, revised as new versions, approved, and decided when they trip.
``record_decision`` is the one way a decision is recorded, from the condition's page, the API or
a weekly review."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError, FieldErrors
from programmes.models import Person, Programme, Stage
from programmes.notifications import notify
from programmes.rules import Access
from programmes.selectors import leadership_people, person_of
from programmes.services import transition_programme

from ..access import (
    require_may_approve,
    require_may_record_decision,
    require_may_write_stop_conditions,
)
from ..models import (
    ConditionState,
    Consequence,
    DecisionKind,
    StopCondition,
    StopConditionDecision,
    StopConditionTrip,
    StopConditionVersion,
    StopPolicy,
)
from ..notification_kinds import STOP_CONDITION_ESCALATED
from ..selectors.stop_condition_data import rule_context
from ..stop_condition_rules import RuleRefused, clean_rule
from .stop_condition_evaluation import programme_data_changed
from .stop_policies import a_year_after, policy_for_writing

# The longest a "continue" may hold a tripped condition before it is looked at again.
LONGEST_CONTINUE = dt.timedelta(days=366)
STAGE_FOR = {DecisionKind.PAUSE: Stage.PAUSED, DecisionKind.RESCOPE: Stage.RESCOPED}


def checked_rule(
    programme: Programme, rule_kind: str, given: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The rule in its stored form, or a refusal naming each parameter (``rule.<name>``)."""
    if not rule_kind:
        return {}
    try:
        return clean_rule(rule_kind, given or {}, rule_context(programme, timezone.localdate()))
    except RuleRefused as refused:
        raise FieldErrors(
            {
                ("rule_kind" if name == "kind" else f"rule.{name}"): [message]
                for name, message in refused.errors.items()
            }
        ) from None


def _check_text(text: str, consequence: str) -> str:
    errors: dict[str | None, list[str]] = {}
    text = text.strip()
    if not text:
        errors["text"] = ["Write the condition down: the text is what people agreed to."]
    if consequence not in Consequence.values:
        errors["consequence"] = [f"The consequence is one of: {', '.join(Consequence.values)}."]
    if errors:
        raise FieldErrors(errors)
    return text


def _version_snapshot(version: StopConditionVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "text": version.text,
        "consequence": version.consequence,
        "rule_kind": version.rule_kind,
        "rule": version.rule,
    }


def _new_version(
    actor: Any,
    condition: StopCondition,
    number: int,
    text: str,
    consequence: str,
    rule_kind: str,
    rule: dict[str, Any],
) -> StopConditionVersion:
    return StopConditionVersion.objects.create(
        condition=condition,
        number=number,
        text=text,
        consequence=consequence,
        rule_kind=rule_kind,
        rule=rule,
        written_by=person_of(actor),
    )


@transaction.atomic
def create_condition(
    *,
    actor: Any,
    programme: Programme,
    access: Access,
    text: str,
    consequence: str,
    rule_kind: str = "",
    rule: Mapping[str, Any] | None = None,
) -> StopCondition:
    """Add a condition to the programme's policy; its first version waits for approval."""
    require_may_write_stop_conditions(access)
    text = _check_text(text, consequence)
    stored_rule = checked_rule(programme, rule_kind, rule)
    policy = policy_for_writing(actor=actor, programme=programme, access=access)
    condition = StopCondition.objects.create(programme=programme, policy=policy)
    version = _new_version(actor, condition, 1, text, consequence, rule_kind, stored_rule)
    audit.record(
        actor=actor,
        action="create",
        instance=condition,
        programme=programme,
        after=_version_snapshot(version),
    )
    return condition


@transaction.atomic
def revise_condition(
    *,
    actor: Any,
    condition: StopCondition,
    access: Access,
    text: str,
    consequence: str,
    rule_kind: str = "",
    rule: Mapping[str, Any] | None = None,
) -> StopConditionVersion:
    """Write a new version of a condition. It needs approval; until then the approved version
    stays in force. A version not yet approved is replaced by the newer one."""
    require_may_write_stop_conditions(access)
    text = _check_text(text, consequence)
    stored_rule = checked_rule(condition.programme, rule_kind, rule)
    locked = StopCondition.objects.select_for_update().get(pk=condition.pk)
    latest = locked.versions.order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    version = _new_version(actor, locked, number, text, consequence, rule_kind, stored_rule)
    audit.record(
        actor=actor,
        action="revise",
        instance=locked,
        programme=condition.programme,
        before=_version_snapshot(latest) if latest else None,
        after=_version_snapshot(version),
    )
    return version


def pending_version(condition: StopCondition) -> StopConditionVersion | None:
    """The newest version, when it is newer than the one in force and not approved yet."""
    latest = condition.versions.order_by("-number").first()
    return latest if latest is not None and latest.approved_at is None else None


@transaction.atomic
def approve_condition(
    *, actor: Any, condition: StopCondition, access: Access
) -> StopConditionVersion:
    """Approve the condition's newest version: it comes into force and is evaluated. The policy
    takes today as its approval date and, unless a later one is set, a revisit date a year on."""
    locked = StopCondition.objects.select_for_update().get(pk=condition.pk)
    policy = StopPolicy.objects.select_for_update().get(pk=locked.policy_id)
    approver = person_of(actor)
    require_may_approve(approver, policy)
    assert approver is not None
    version = pending_version(locked)
    if version is None:
        raise DomainError("There is no version waiting for approval.", field="version")
    if version.written_by_id == approver.pk:
        raise DomainError(
            f"{approver.name} wrote this version and cannot approve it: another approver must.",
            field="approved_by",
        )
    now = timezone.now()
    version.approved_by = approver
    version.approved_at = now
    version.save(update_fields=["approved_by", "approved_at"])
    today = timezone.localdate()
    policy.approved_on = today
    if policy.revisit_on is None or policy.revisit_on <= today:
        policy.revisit_on = a_year_after(today)
    policy.save(update_fields=["approved_on", "revisit_on", "updated_at"])
    audit.record(
        actor=actor,
        action="approve",
        instance=locked,
        programme=condition.programme,
        after={"version": version.number, "approved_by": approver.name},
    )
    programme_data_changed(locked.programme_id, "stop_condition")
    return version


def _check_decision(
    *, kind: str, reason: str, revisit_on: dt.date | None, today: dt.date
) -> dict[str | None, list[str]]:
    errors: dict[str | None, list[str]] = {}
    if kind not in DecisionKind.values:
        errors["kind"] = [f"A decision is one of: {', '.join(DecisionKind.values)}."]
    if not reason.strip():
        errors["reason"] = ["Write down why: the reason is kept with the decision."]
    if kind == DecisionKind.CONTINUE:
        if revisit_on is None:
            errors["revisit_on"] = ["“Continue” needs a revisit date."]
        elif revisit_on <= today:
            errors["revisit_on"] = ["The revisit date must be after today."]
        elif revisit_on > today + LONGEST_CONTINUE:
            errors["revisit_on"] = ["Revisit within a year."]
    elif revisit_on is not None:
        why = bounds.refusal(revisit_on, bounds.SCHEDULE, timezone.now())
        if why:
            errors["revisit_on"] = [why]
    return errors


@transaction.atomic
def record_decision(
    *,
    actor: Any,
    condition: StopCondition,
    access: Access,
    kind: str,
    reason: str,
    decided_by: Person | None = None,
    revisit_on: dt.date | None = None,
) -> StopConditionDecision:
    """Record what the sponsor or an approver (``decided_by``, else the actor) decided about the
    condition's trip. Pause and rescope move the programme to that stage through its lifecycle,
    citing the condition; escalate tells leadership; continue holds until ``revisit_on``."""
    locked = (
        StopCondition.objects.select_for_update().select_related("programme").get(pk=condition.pk)
    )
    programme = locked.programme
    policy = StopPolicy.objects.filter(pk=locked.policy_id).prefetch_related("approvers").first()
    decider = decided_by or person_of(actor)
    require_may_record_decision(access, decider, programme, policy)
    assert decider is not None
    now = timezone.now()
    errors = _check_decision(
        kind=kind, reason=reason, revisit_on=revisit_on, today=timezone.localdate()
    )
    if errors:
        raise FieldErrors(errors)
    trip = StopConditionTrip.objects.filter(condition=locked, decided_at__isnull=True).first()
    if trip is None:
        raise DomainError("This condition has no trip waiting for a decision.", field="kind")
    version = trip.version
    transition = None
    if kind in STAGE_FOR:
        transition = transition_programme(
            actor=actor,
            programme=programme,
            access=access,
            to_stage=STAGE_FOR[DecisionKind(kind)],
            reason=(
                f"Stop condition {locked.pk} (“{version.text}”) tripped: {trip.summary}. "
                f"{DecisionKind(kind).label} decided by {decider.name}: {reason.strip()}"
            ),
        )
    decision = StopConditionDecision.objects.create(
        condition=locked,
        trip=trip,
        kind=kind,
        reason=reason.strip(),
        revisit_on=revisit_on,
        decided_by=decider,
        recorded_by=audit.acting_user(actor),
        decided_at=now,
        transition=transition,
    )
    trip.decided_at = now
    trip.save(update_fields=["decided_at"])
    locked.state = ConditionState.DECIDED
    locked.continue_until = revisit_on if kind == DecisionKind.CONTINUE else None
    locked.continued_severity = locked.severity if kind == DecisionKind.CONTINUE else None
    locked.next_check_at = now
    locked.save(update_fields=["state", "continue_until", "continued_severity", "next_check_at"])
    audit.record(
        actor=actor,
        action="decide",
        instance=decision,
        programme=programme,
        after={
            "condition": locked.pk,
            "decision": kind,
            "reason": decision.reason,
            "decided_by": decider.name,
            "revisit_on": revisit_on.isoformat() if revisit_on else None,
        },
    )
    if kind == DecisionKind.ESCALATE:
        _escalate(decision, version.text)
    return decision


def _escalate(decision: StopConditionDecision, text: str) -> None:
    programme = decision.condition.programme
    for leader in leadership_people().distinct():
        notify(
            recipient=leader,
            programme=programme,
            kind=STOP_CONDITION_ESCALATED,
            occurrence=f"stop-condition-escalated:{decision.pk}",
            subject=f"{programme.name}: a stop condition is escalated to leadership",
            body=(
                f"“{text}” tripped and {decision.decided_by.name} escalated it: {decision.reason}"
            ),
            link=reverse(
                "stop-condition-detail",
                kwargs={"slug": programme.slug, "condition_id": decision.condition_id},
            ),
        )
