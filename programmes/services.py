"""Writes to programmes, people and memberships. Each runs in one transaction with its audit event,
and refuses with a ``DomainError`` whose message is fit for a user."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from . import audit
from .access import (
    require_may_change_stage,
    require_may_edit_programme,
    require_may_manage_members,
    require_may_manage_people,
    require_may_manage_tokens,
)
from .errors import DomainError, FieldErrors, NotAllowed
from .models import Membership, Person, Programme, ProgrammeToken, Role, Stage, StageTransition
from .registry.data_changes import PROGRAMME, programme_data_changed
from .registry.stage_gates import gate_refusal
from .rules import INITIAL_STAGES, Access, transition_refusal
from .selectors import (
    may_change_person,
    programme_name_refusal,
)

# Set on create and changed only through ``transition_programme``, never by a plain edit.
_NOT_EDITABLE = frozenset({"id", "slug", "stage", "created_at", "updated_at"})


def validation_errors(instance: Any, **options: Any) -> dict[str | None, list[str]]:
    """What ``instance.full_clean(**options)`` refuses, by field (None for the whole object)."""
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            return {None: error.messages}
        return {
            None if field == NON_FIELD_ERRORS else field: messages
            for field, messages in error.message_dict.items()
        }
    return {}


def full_clean_or_refuse(instance: Any, **options: Any) -> None:
    """Refuse ``instance`` with every one of its validation errors at once."""
    errors = validation_errors(instance, **options)
    if errors:
        raise FieldErrors(errors)


def check_programme(programme: Programme) -> None:
    """The rules a programme's details must satisfy, for the pages, the API and the admin alike;
    every refusal is reported at once."""
    errors = validation_errors(programme, validate_unique=False, validate_constraints=False)
    if "name" not in errors:
        refusal = programme_name_refusal(programme.name, programme)
        if refusal:
            errors["name"] = [refusal]
    if errors:
        raise FieldErrors(errors)


def _save_checked(programme: Programme) -> None:
    check_programme(programme)
    try:
        # Two requests taking the same name at once: the database's constraint decides.
        with transaction.atomic():
            programme.save()
    except IntegrityError:
        raise DomainError(
            f"Another programme is already called “{programme.name}”.", field="name"
        ) from None


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "programme"
    slug, suffix = base, 2
    while Programme.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


@transaction.atomic
def create_programme(*, actor: Any, slug: str = "", **fields: Any) -> Programme:
    """Start a programme. Its creator becomes its owner member."""
    stage = fields.get("stage", Stage.PILOT)
    if stage not in INITIAL_STAGES:
        allowed = ", ".join(Stage(value).label.lower() for value in INITIAL_STAGES)
        raise DomainError(
            f"A new programme starts in one of: {allowed}. Production needs a passed readiness "
            "review.",
            field="stage",
        )
    if slug and Programme.objects.filter(slug=slug).exists():
        raise DomainError(f"The address “{slug}” is taken by another programme.", field="slug")
    programme = Programme(slug=slug or _unique_slug(fields.get("name", "")), **fields)
    _save_checked(programme)
    audit.record(
        actor=actor,
        action="create",
        instance=programme,
        programme=programme,
        after=audit.snapshot(programme),
    )
    if actor is not None and actor.is_authenticated:
        add_member(actor=actor, programme=programme, user=actor, role=Role.OWNER)
    return programme


@transaction.atomic
def update_programme(
    *, actor: Any, programme: Programme, access: Access, **changes: Any
) -> Programme:
    """Change a programme's details and named owners."""
    require_may_edit_programme(access)
    refused = sorted(set(changes) & _NOT_EDITABLE)
    if "stage" in refused:
        raise DomainError(
            "Change the stage through a transition, so the change is recorded with a reason.",
            field="stage",
        )
    if refused:
        raise DomainError(f"{refused[0]} cannot be changed.", field=refused[0])
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    before = audit.snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _save_checked(locked)
    _, changed = audit.record_update(actor=actor, instance=locked, programme=locked, before=before)
    if "cost_envelope" in changed:
        programme_data_changed(locked.pk, PROGRAMME)
    return locked


@transaction.atomic
def transition_programme(
    *, actor: Any, programme: Programme, access: Access, to_stage: str, reason: str
) -> StageTransition:
    """Move a programme to another stage, recording who, when and why."""
    require_may_change_stage(access)
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the stage changes; the reason is kept with it.", field="reason")
    # The row lock makes two people moving the same programme at once take turns.
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    refusal = transition_refusal(from_stage=locked.stage, to_stage=to_stage) or gate_refusal(
        locked, to_stage
    )
    if refusal:
        raise DomainError(refusal, field="stage")
    transition = StageTransition.objects.create(
        programme=locked, from_stage=locked.stage, to_stage=to_stage, reason=reason, actor=actor
    )
    locked.stage = to_stage
    locked.save(update_fields=["stage", "updated_at"])
    audit.record(
        actor=actor,
        action="transition",
        instance=locked,
        programme=locked,
        before={"stage": transition.from_stage},
        after={"stage": to_stage, "reason": reason},
    )
    programme.stage = to_stage
    return transition


@transaction.atomic
def add_member(*, actor: Any, programme: Programme, user: Any, role: str) -> Membership:
    """Give ``user`` a role on ``programme``."""
    if role not in Role.values:
        raise DomainError(
            f"“{role}” is not a role. Roles are: {', '.join(Role.values)}.", field="role"
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(programme=programme, user=user, role=role)
    except IntegrityError:
        raise DomainError(f"{user} is already a member of this programme.", field="user") from None
    audit.record(
        actor=actor,
        action="create",
        instance=membership,
        programme=programme,
        after=audit.snapshot(membership),
    )
    return membership


def last_owner_refusal(membership: Membership, *, new_role: str | None) -> str | None:
    """Why ``membership`` cannot take ``new_role`` (None: cannot go): it is its programme's last
    owner. None when it can."""
    if membership.role != Role.OWNER or new_role == Role.OWNER:
        return None
    owners = Membership.objects.filter(programme=membership.programme_id, role=Role.OWNER)
    if owners.exclude(pk=membership.pk).exists():
        return None
    return "A programme needs at least one owner."


@transaction.atomic
def change_member_role(
    *, actor: Any, membership: Membership, access: Access, role: str
) -> Membership:
    """Change a member's role; a programme always keeps at least one owner."""
    require_may_manage_members(access)
    if role not in Role.values:
        raise DomainError(
            f"“{role}” is not a role. Roles are: {', '.join(Role.values)}.", field="role"
        )
    refusal = last_owner_refusal(membership, new_role=role)
    if refusal:
        raise DomainError(refusal, field="role")
    before = audit.snapshot(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record_update(
        actor=actor, instance=membership, programme=membership.programme, before=before
    )
    return membership


@transaction.atomic
def remove_member(*, actor: Any, membership: Membership, access: Access) -> None:
    """Take away a member's access; the last owner cannot be removed."""
    require_may_manage_members(access)
    refusal = last_owner_refusal(membership, new_role=None)
    if refusal:
        raise DomainError(refusal, field="user")
    before = audit.snapshot(membership)
    audit.record(
        actor=actor,
        action="delete",
        instance=membership,
        programme=membership.programme,
        before=before,
    )
    membership.delete()


PERSON_CHANGE_REFUSAL = (
    "Only staff, the person themself, or (for someone without an account) an owner of every "
    "programme that names them can change their details."
)


@transaction.atomic
def create_person(*, actor: Any, **fields: Any) -> Person:
    """Add someone to the people directory."""
    require_may_manage_people(actor)
    person = Person(**fields)
    full_clean_or_refuse(person)
    person.save()
    audit.record(
        actor=actor, action="create", instance=person, programme=None, after=audit.snapshot(person)
    )
    return person


@transaction.atomic
def update_person(*, actor: Any, person: Person, **changes: Any) -> Person:
    """Change someone's details in the people directory (``may_change_person`` decides who)."""
    if not may_change_person(actor, person):
        raise NotAllowed(PERSON_CHANGE_REFUSAL)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    full_clean_or_refuse(locked)
    locked.save()
    audit.record_update(actor=actor, instance=locked, programme=None, before=before)
    return locked


@transaction.atomic
def issue_programme_token(
    *,
    actor: Any,
    programme: Programme,
    access: Access,
    name: str,
    scope: str = ProgrammeToken.Scope.MEASUREMENTS,
) -> tuple[ProgrammeToken, str]:
    """Create a programme token for a machine; returns the row and the only copy of the secret."""
    require_may_manage_tokens(access)
    name = name.strip()
    if not name:
        raise DomainError("Name the token after what will use it.", field="name")
    if scope not in ProgrammeToken.Scope.values:
        raise DomainError("A token is for measurements or for Alertmanager.", field="scope")
    token, key = ProgrammeToken.issue(programme=programme, name=name, created_by=actor, scope=scope)
    audit.record(
        actor=actor,
        action="create",
        instance=token,
        programme=programme,
        after={"name": token.name, "hint": token.hint, "scope": token.scope},
    )
    return token, key


@transaction.atomic
def revoke_programme_token(*, actor: Any, token: ProgrammeToken, access: Access) -> ProgrammeToken:
    """Stop a programme token working. Its row stays, marked revoked, for the record."""
    require_may_manage_tokens(access)
    locked = ProgrammeToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise DomainError("This token is already revoked.")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="revoke",
        instance=locked,
        programme=locked.programme,
        before={"revoked_at": None},
        after={"revoked_at": locked.revoked_at.isoformat()},
    )
    return locked
