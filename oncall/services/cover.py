"""Cover requests: asked of a rotation's members, accepted as an override, or cancelled."""

import datetime as dt
from typing import Any

from django.db import transaction

from programmes import audit
from programmes.errors import DomainError, NotAllowed
from programmes.models import Person
from programmes.notifications import notify
from programmes.rules import Access
from programmes.selectors import person_of
from programmes.times import for_message

from .. import selectors
from ..access import require_may_ask_for_cover
from ..models import (
    CoverRequest,
    CoverStatus,
    Override,
    Rotation,
    TimeOff,
)
from ..notification_kinds import COVER_ACCEPTED, COVER_REQUEST
from .overrides import write_override
from .periods import check_window, from_now, is_member


@transaction.atomic
def request_cover(
    *,
    actor: Any,
    rotation: Rotation,
    access: Access,
    requester: Person,
    start: dt.datetime,
    end: dt.datetime,
    reason: str = "",
) -> CoverRequest:
    """Ask the rotation's other members to cover [start, end) for ``requester``."""
    require_may_ask_for_cover(actor, requester, access)
    check_window(start, end)
    start = from_now(start)
    if not is_member(rotation, requester):
        raise DomainError(f"{requester} is not on this rotation.", field="requester_id")
    return open_cover_request(
        actor=actor, rotation=rotation, requester=requester, start=start, end=end, reason=reason
    )


def open_cover_request(
    *,
    actor: Any,
    rotation: Rotation,
    requester: Person,
    start: dt.datetime,
    end: dt.datetime,
    reason: str,
    time_off: TimeOff | None = None,
) -> CoverRequest:
    """A cover request written, audited and sent to the rotation's other members. Call it in
    the transaction that decided it."""
    cover = CoverRequest.objects.create(
        rotation=rotation,
        requester=requester,
        start=start,
        end=end,
        reason=reason,
        time_off=time_off,
    )
    audit.record(
        actor=actor,
        action="create",
        instance=cover,
        programme=rotation.programme,
        after=audit.snapshot(cover),
    )
    _ask_members_to_cover(cover)
    return cover


def _ask_members_to_cover(cover: CoverRequest) -> None:
    rotation = cover.rotation
    latest = selectors.versions_of(rotation)[-1]
    others = Person.objects.filter(pk__in=latest.member_ids).exclude(pk=cover.requester_id)
    for person in others:
        notify(
            recipient=person,
            programme=rotation.programme,
            kind=COVER_REQUEST,
            occurrence=f"cover-request:{cover.pk}",
            subject=f"{rotation.name}: can you cover {cover.requester}?",
            body=(
                f"{cover.requester} needs cover on {rotation.name} from "
                f"{for_message(cover.start, person.timezone)} to "
                f"{for_message(cover.end, person.timezone)}"
                + (f": {cover.reason}" if cover.reason else ".")
                + " Accept it on the rotation's page."
            ),
            link=rotation.get_absolute_url() + "#cover",
        )


@transaction.atomic
def accept_cover(*, actor: Any, cover: CoverRequest, person: Person | None) -> Override:
    """``person`` (a member of the rotation) takes the requested stretch: it becomes their
    override."""
    locked = CoverRequest.objects.select_for_update().select_related("rotation").get(pk=cover.pk)
    if locked.status != CoverStatus.OPEN:
        raise DomainError(f"This request is already {locked.get_status_display().lower()}.")
    if person is None or not is_member(locked.rotation, person):
        raise NotAllowed("Only another member of the rotation can take this cover.")
    if person.pk == locked.requester_id:
        raise DomainError("You cannot cover your own request.")
    override = write_override(
        actor=actor,
        rotation=locked.rotation,
        person=person,
        start=locked.start,
        end=locked.end,
        reason=f"Covering {locked.requester}" + (f": {locked.reason}" if locked.reason else ""),
    )
    locked.status = CoverStatus.ACCEPTED
    locked.accepted_by = person
    locked.override = override
    locked.save(update_fields=["status", "accepted_by", "override"])
    audit.record(
        actor=actor,
        action="accept",
        instance=locked,
        programme=locked.rotation.programme,
        after={"accepted_by": {"id": person.pk, "name": str(person)}},
    )
    notify(
        recipient=locked.requester,
        programme=locked.rotation.programme,
        kind=COVER_ACCEPTED,
        occurrence=f"cover-accepted:{locked.pk}",
        subject=f"{person} is covering you on {locked.rotation.name}",
        body=(
            f"{person} takes {locked.rotation.name} from "
            f"{for_message(locked.start, locked.requester.timezone)} to "
            f"{for_message(locked.end, locked.requester.timezone)}."
        ),
        link=locked.rotation.get_absolute_url(),
    )
    return override


@transaction.atomic
def cancel_cover(*, actor: Any, cover: CoverRequest, access: Access) -> CoverRequest:
    if not access.can_edit and person_of(actor) != cover.requester:
        raise NotAllowed("Only the requester or the programme's editors can cancel this.")
    if cover.status != CoverStatus.OPEN:
        raise DomainError(f"This request is already {cover.get_status_display().lower()}.")
    cover.status = CoverStatus.CANCELLED
    cover.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="cancel",
        instance=cover,
        programme=cover.rotation.programme,
        after={"status": CoverStatus.CANCELLED},
    )
    return cover
