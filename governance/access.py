"""Who may do what to stop conditions: one answer per kind of change, asked by the pages, the
API and the services alike."""

from programmes.errors import DomainError, NotAllowed
from programmes.models import Person, Programme
from programmes.rules import Access

from .models import StopPolicy


def may_write_stop_conditions(access: Access) -> bool:
    """The policy and its conditions are written by the programme's editors and owners."""
    return access.can_edit


def require_may_write_stop_conditions(access: Access) -> None:
    if not may_write_stop_conditions(access):
        raise NotAllowed("Only the programme's editors and owners write its stop conditions.")


def approver_ids(policy: StopPolicy | None) -> set[int]:
    if policy is None:
        return set()
    return {person.pk for person in policy.approvers.all()}


def may_approve(person: Person | None, policy: StopPolicy | None) -> bool:
    """A version is approved by one of the policy's approvers."""
    return person is not None and person.pk in approver_ids(policy)


def require_may_approve(person: Person | None, policy: StopPolicy | None) -> None:
    if not may_approve(person, policy):
        raise NotAllowed("Only the policy's approvers approve its stop conditions.")


def may_decide(person: Person | None, programme: Programme, policy: StopPolicy | None) -> bool:
    """A trip is decided by the executive sponsor or one of the policy's approvers."""
    if person is None:
        return False
    return person.pk == programme.executive_sponsor_id or person.pk in approver_ids(policy)


def may_record_decisions(access: Access) -> bool:
    """Recording a decision (taken by the sponsor or an approver) is an editor's write."""
    return access.can_edit


def require_may_record_decisions(access: Access) -> None:
    if not may_record_decisions(access):
        raise NotAllowed("Only the programme's editors and owners record decisions.")


def require_may_record_decision(
    access: Access, decider: Person | None, programme: Programme, policy: StopPolicy | None
) -> None:
    require_may_record_decisions(access)
    if not may_decide(decider, programme, policy):
        who = decider.name if decider is not None else "Someone without a directory entry"
        raise DomainError(
            f"{who} may not decide: a trip is decided by the executive sponsor or one of the "
            "policy's approvers.",
            field="decided_by",
        )
