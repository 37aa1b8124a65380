"""Readiness criteria, started from the default set and edited per programme, and their
waivers."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from programmes import audit
from programmes.errors import DomainError
from programmes.models import Person, Programme
from programmes.rules import Access
from programmes.selectors import person_of

from ...access import require_may_waive, require_may_write_readiness
from ...models import Criterion, CriterionStatus, Pillar, Waiver
from ...readiness_evidence import CHECKS
from ...readiness_rules import DEFAULT_CRITERIA, WAIVER_MAX_DAYS, waiver_refusal

EDITABLE = ("title", "status", "owner", "evidence_link", "note")


@transaction.atomic
def start_default_criteria(*, actor: Any, programme: Programme, access: Access) -> int:
    """Add the default criteria the programme does not have yet (by title); how many were added."""
    require_may_write_readiness(access)
    have = set(programme.readiness_criteria.values_list("title", flat=True))
    start = (programme.readiness_criteria.aggregate(p=Max("position"))["p"] or 0) + 1
    added = [
        Criterion(
            programme=programme,
            pillar=default.pillar,
            title=default.title,
            evidence_check=default.evidence_check,
            position=start + index,
        )
        for index, default in enumerate(d for d in DEFAULT_CRITERIA if d.title not in have)
    ]
    Criterion.objects.bulk_create(added, ignore_conflicts=True)
    if added:
        audit.record(
            actor=actor,
            action="start_criteria",
            instance=programme,
            programme=programme,
            after={"criteria": [criterion.title for criterion in added]},
        )
    return len(added)


def _check_status(criterion: Criterion, status: str) -> None:
    if status == CriterionStatus.WAIVED:
        raise DomainError("A criterion is waived by granting a waiver.", field="status")
    if status == CriterionStatus.MET and criterion.evidence_check:
        raise DomainError(
            "Keel checks this criterion itself: it is met while the evidence holds.",
            field="status",
        )


@transaction.atomic
def add_criterion(
    *,
    actor: Any,
    programme: Programme,
    access: Access,
    pillar: str,
    title: str,
    evidence_check: str = "",
    status: str = CriterionStatus.NOT_STARTED,
    owner: Person | None = None,
    evidence_link: str = "",
    note: str = "",
) -> Criterion:
    require_may_write_readiness(access)
    title = title.strip()
    if not title:
        raise DomainError("Give the criterion a title.", field="title")
    if pillar not in Pillar.values:
        raise DomainError(f"Pillars are: {', '.join(Pillar.values)}.", field="pillar")
    if evidence_check and evidence_check not in CHECKS:
        raise DomainError(f"Checks are: {', '.join(CHECKS)}.", field="evidence_check")
    criterion = Criterion(
        programme=programme,
        pillar=pillar,
        title=title,
        evidence_check=evidence_check,
        owner=owner,
        evidence_link=evidence_link,
        note=note,
        position=(programme.readiness_criteria.aggregate(p=Max("position"))["p"] or 0) + 1,
    )
    _check_status(criterion, status)
    criterion.status = status
    try:
        with transaction.atomic():
            criterion.save()
    except IntegrityError:
        raise DomainError(
            f"This programme already has a criterion called “{title}”.", field="title"
        ) from None
    audit.record(
        actor=actor,
        action="create",
        instance=criterion,
        programme=programme,
        after=audit.snapshot(criterion),
    )
    return criterion


@transaction.atomic
def update_criterion(
    *, actor: Any, criterion: Criterion, access: Access, **changes: Any
) -> Criterion:
    require_may_write_readiness(access)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"{sorted(unknown)[0]} cannot be changed.", field=sorted(unknown)[0])
    if "status" in changes:
        _check_status(criterion, changes["status"])
    if "title" in changes:
        changes["title"] = changes["title"].strip()
        if not changes["title"]:
            raise DomainError("Give the criterion a title.", field="title")
        same = criterion.programme.readiness_criteria.filter(title=changes["title"])
        if same.exclude(pk=criterion.pk).exists():
            raise DomainError(
                f"This programme already has a criterion called “{changes['title']}”.",
                field="title",
            )
    before = audit.snapshot(criterion)
    for name, value in changes.items():
        setattr(criterion, name, value)
    criterion.save()
    audit.record_update(
        actor=actor, instance=criterion, programme=criterion.programme, before=before
    )
    return criterion


@transaction.atomic
def grant_waiver(
    *,
    actor: Any,
    criterion: Criterion,
    access: Access,
    reason: str,
    expires_on: dt.date | None = None,
) -> Waiver:
    """Excuse ``criterion`` until ``expires_on`` (at most ``WAIVER_MAX_DAYS`` ahead, the
    default). Granted by the person named for the role that owns its pillar."""
    programme = criterion.programme
    require_may_waive(actor, programme, criterion.pillar, access)
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the criterion is waived.", field="reason")
    today = timezone.localdate()
    expires_on = expires_on or today + dt.timedelta(days=WAIVER_MAX_DAYS)
    refusal = waiver_refusal(expires_on, today)
    if refusal:
        raise DomainError(refusal, field="expires_on")
    approver = person_of(actor)
    if approver is None:
        raise DomainError("Only a person in the directory can approve a waiver.")
    waiver = Waiver.objects.create(
        criterion=criterion,
        reason=reason,
        approver=approver,
        expires_on=expires_on,
        granted_by=audit.acting_user(actor),
    )
    audit.record(
        actor=actor,
        action="create",
        instance=waiver,
        programme=programme,
        after=audit.snapshot(waiver),
    )
    return waiver
