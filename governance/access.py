"""Who may do what in governance (readiness, stop conditions): one answer per kind of change,
asked by the pages, the API and the services alike."""

from typing import Any

from programmes.errors import DomainError, NotAllowed
from programmes.models import Person, Programme
from programmes.rules import Access
from programmes.selectors import is_leadership, person_of

from .models import SignOff, StopPolicy
from .readiness_rules import PILLAR_OWNER_ROLE


def may_write_readiness(access: Access) -> bool:
    """The definition, the criteria and the review's rounds are the editors' and owners'."""
    return access.can_edit


def require_may_write_readiness(access: Access) -> None:
    if not may_write_readiness(access):
        raise NotAllowed("Only the programme's editors and owners change its readiness.")


def may_sign(actor: Any, signoff: SignOff, access: Access) -> bool:
    """A role is signed by the person named for it, who edits the programme or is leadership."""
    if not (access.can_edit or is_leadership(actor)):
        return False
    me = person_of(actor)
    return me is not None and me.pk == signoff.signer_id


def require_may_sign(actor: Any, signoff: SignOff, access: Access) -> None:
    if not (access.can_edit or is_leadership(actor)):
        raise NotAllowed("Viewers cannot sign a readiness review.")
    if not may_sign(actor, signoff, access):
        raise NotAllowed(
            f"Only {signoff.signer}, named for {signoff.get_role_display().lower()}, can sign "
            "this role."
        )


def may_waive(person: Person | None, programme: Programme, pillar: str, *, writes: bool) -> bool:
    """A waiver is approved by the person named for the role that owns the pillar, who edits
    the programme or is leadership (``writes``)."""
    role_field, _ = PILLAR_OWNER_ROLE[pillar]
    named = person is not None and getattr(programme, f"{role_field}_id") == person.pk
    return writes and named


def require_may_waive(actor: Any, programme: Programme, pillar: str, access: Access) -> None:
    writes = access.can_edit or is_leadership(actor)
    if not writes:
        raise NotAllowed("Viewers cannot waive readiness criteria.")
    if not may_waive(person_of(actor), programme, pillar, writes=writes):
        _, role_label = PILLAR_OWNER_ROLE[pillar]
        raise NotAllowed(f"Only the programme's {role_label} can waive this pillar's criteria.")


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
