"""Calendar feed tokens: a secret calendar link for a rotation's or a person's shifts."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import audit
from programmes.errors import DomainError
from programmes.models import Person
from programmes.rules import Access

from ..access import require_may_revoke_feed_token
from ..models import (
    CalendarFeedToken,
    FeedKind,
    Rotation,
)


@transaction.atomic
def issue_feed_token(
    *, actor: Any, rotation: Rotation | None = None, person: Person | None = None
) -> tuple[CalendarFeedToken, str]:
    """A secret calendar URL token for a rotation's or a person's shifts; shown once."""
    if rotation is not None:
        token, key = CalendarFeedToken.issue(
            created_by=actor, kind=FeedKind.ROTATION, rotation=rotation
        )
        programme = rotation.programme
    else:
        assert person is not None
        token, key = CalendarFeedToken.issue(created_by=actor, kind=FeedKind.PERSON, person=person)
        programme = None
    audit.record(
        actor=actor,
        action="create",
        instance=token,
        programme=programme,
        after={"kind": token.kind, "hint": token.hint},
    )
    return token, key


@transaction.atomic
def revoke_feed_token(
    *, actor: Any, token: CalendarFeedToken, access: Access | None
) -> CalendarFeedToken:
    """Stop a calendar link working; ``access`` is the actor's to the link's rotation."""
    require_may_revoke_feed_token(actor, token, access)
    if token.revoked_at is not None:
        raise DomainError("This calendar link is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="revoke",
        instance=token,
        programme=token.rotation.programme if token.rotation is not None else None,
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token
