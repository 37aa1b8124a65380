"""A programme's stop policy: its author, approvers and revisit date."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit, bounds
from programmes.errors import DomainError, FieldErrors
from programmes.models import Person, Programme
from programmes.rules import Access
from programmes.selectors import person_of

from ..access import require_may_write_stop_conditions
from ..models import StopPolicy

# A policy is revisited a year after its approval unless it says otherwise.
REVISIT_AFTER_MONTHS = 12


def a_year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _policy_snapshot(policy: StopPolicy) -> dict[str, Any]:
    return {
        **audit.snapshot(policy),
        "approvers": sorted(person.name for person in policy.approvers.all()),
    }


def policy_refusals(
    *, author: Person | None, approvers: list[Person], revisit_on: dt.date | None, today: dt.date
) -> dict[str | None, list[str]]:
    errors: dict[str | None, list[str]] = {}
    if author is None:
        errors["author"] = ["Name the policy's author."]
    if not approvers:
        errors["approvers"] = [
            "Name at least one approver who is not the author (the executive sponsor by default)."
        ]
    elif author is not None and author.pk in {p.pk for p in approvers}:
        errors["approvers"] = [
            f"{author.name} wrote the policy and cannot also approve it: name someone else."
        ]
    if revisit_on is not None:
        if revisit_on <= today:
            errors["revisit_on"] = ["The revisit date must be in the future."]
        else:
            why = bounds.refusal(revisit_on, bounds.SCHEDULE, timezone.now())
            if why:
                errors["revisit_on"] = [why]
    return errors


def default_policy(*, actor: Any, programme: Programme) -> tuple[Person | None, list[Person]]:
    """Who writes and approves a new policy unless told: the writer (or the programme owner),
    approved by the executive sponsor."""
    author = person_of(actor) or programme.programme_owner
    sponsor = programme.executive_sponsor
    approvers = [sponsor] if sponsor is not None and sponsor != author else []
    return author, approvers


@transaction.atomic
def save_policy(
    *,
    actor: Any,
    programme: Programme,
    access: Access,
    author: Person | None = None,
    approvers: list[Person] | None = None,
    revisit_on: dt.date | None = None,
) -> StopPolicy:
    """Create or change the programme's stop policy; what is not given keeps its value (or,
    for a new policy, its default)."""
    require_may_write_stop_conditions(access)
    policy = StopPolicy.objects.select_for_update().filter(programme=programme).first()
    if policy is None:
        default_author, default_approvers = default_policy(actor=actor, programme=programme)
        chosen_author = author or default_author
        chosen_approvers = approvers if approvers is not None else default_approvers
        before = None
    else:
        before = _policy_snapshot(policy)
        chosen_author = author or policy.author
        chosen_approvers = approvers if approvers is not None else list(policy.approvers.all())
    errors = policy_refusals(
        author=chosen_author,
        approvers=chosen_approvers,
        revisit_on=revisit_on,
        today=timezone.localdate(),
    )
    if errors:
        raise FieldErrors(errors)
    assert chosen_author is not None
    if policy is None:
        policy = StopPolicy.objects.create(
            programme=programme, author=chosen_author, revisit_on=revisit_on
        )
    else:
        policy.author = chosen_author
        if revisit_on is not None:
            policy.revisit_on = revisit_on
        policy.save()
    policy.approvers.set(chosen_approvers)
    after = _policy_snapshot(policy)
    if before is None:
        audit.record(
            actor=actor, action="create", instance=policy, programme=programme, after=after
        )
    else:
        changed_before, changed_after = audit.changed_fields(before, after)
        if changed_after:
            audit.record(
                actor=actor,
                action="update",
                instance=policy,
                programme=programme,
                before=changed_before,
                after=changed_after,
            )
    return policy


def policy_for_writing(*, actor: Any, programme: Programme, access: Access) -> StopPolicy:
    """The programme's policy, made with its defaults when it has none yet."""
    policy = StopPolicy.objects.filter(programme=programme).first()
    if policy is not None:
        return policy
    try:
        return save_policy(actor=actor, programme=programme, access=access)
    except FieldErrors as error:
        if "approvers" in error.errors:
            raise DomainError(
                "The programme's stop policy needs an approver who is not its author: name the "
                "executive sponsor, or set the policy's approvers first.",
                field="approvers",
            ) from None
        raise
