"""Who may do what in governance: one answer per kind of change, asked by the pages, the API and
the services alike."""

from typing import Any

from programmes.errors import NotAllowed
from programmes.models import Person, Programme
from programmes.rules import Access
from programmes.selectors import is_leadership, person_of

from .models import SignOff
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
