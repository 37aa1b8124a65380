"""The written readiness definition: versions, and their agreement by named people."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from programmes import audit
from programmes.errors import DomainError
from programmes.models import Person, Programme
from programmes.rules import Access

from ...access import require_may_write_readiness
from ...models import DefinitionVersion
from ...readiness_notices import tell_signers_of_programme

# Those who must be among the people agreeing a definition, as (field, label).
MUST_AGREE = (("programme_owner", "programme owner"), ("executive_sponsor", "executive sponsor"))


@transaction.atomic
def write_definition(
    *, actor: Any, programme: Programme, access: Access, text: str
) -> DefinitionVersion:
    """A new version of the definition; it is not in force until agreed."""
    require_may_write_readiness(access)
    text = text.strip()
    if not text:
        raise DomainError("Write the definition: what “ready for production” means.", field="text")
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    latest = programme.readiness_definitions.order_by("-number").first()
    if latest is not None and latest.text == text:
        raise DomainError("This is the text of the latest version already.", field="text")
    number = (programme.readiness_definitions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DefinitionVersion.objects.create(
        programme=programme, number=number, text=text, written_by=audit.acting_user(actor)
    )
    audit.record(
        actor=actor,
        action="create",
        instance=version,
        programme=programme,
        after=audit.snapshot(version),
    )
    return version


@transaction.atomic
def agree_definition(
    *,
    actor: Any,
    version: DefinitionVersion,
    access: Access,
    agreed_on: dt.date,
    agreed_by: list[Person],
) -> DefinitionVersion:
    """Record that ``agreed_by`` agreed ``version`` on ``agreed_on``: at least the programme
    owner and the sponsor."""
    require_may_write_readiness(access)
    programme = version.programme
    if version.is_agreed:
        raise DomainError(
            f"Version {version.number} was agreed on {version.agreed_on:%Y-%m-%d}; write a new "
            "version to change it.",
            field="agreed_on",
        )
    today = timezone.localdate()
    if agreed_on > today:
        raise DomainError("The agreement date cannot be in the future.", field="agreed_on")
    if agreed_on < timezone.localdate(version.created_at):
        raise DomainError(
            "The agreement date cannot come before the version was written.", field="agreed_on"
        )
    ids = {person.pk for person in agreed_by}
    for field, label in MUST_AGREE:
        person_id = getattr(programme, f"{field}_id")
        if person_id is None:
            raise DomainError(
                f"Name the programme's {label} first: they must agree the definition.",
                field="agreed_by",
            )
        if person_id not in ids:
            raise DomainError(
                f"The {label} ({getattr(programme, field)}) must be among those agreeing.",
                field="agreed_by",
            )
    version.agreed_on = agreed_on
    version.save(update_fields=["agreed_on"])
    version.agreed_by.set(agreed_by)
    audit.record(
        actor=actor,
        action="agree",
        instance=version,
        programme=programme,
        after={
            "agreed_on": agreed_on.isoformat(),
            "agreed_by": [{"id": p.pk, "name": p.name} for p in agreed_by],
        },
    )
    # A new agreed version is a change each approval in force must be re-attested for.
    tell_signers_of_programme(programme.pk)
    return version
