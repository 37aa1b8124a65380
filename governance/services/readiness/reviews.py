"""The readiness review: rounds, the four sign-offs, re-attestation and withdrawal."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from programmes import audit
from programmes.errors import DomainError
from programmes.models import Person, Programme
from programmes.notifications import notify
from programmes.rules import Access

from ...access import require_may_sign, require_may_write_readiness
from ...models import ReadinessReview, ReviewOutcome, SignOff, SignOffDecision, SignoffRole
from ...notification_kinds import SIGNOFF_REQUESTED
from ...readiness_rules import SIGNER_ROLE, signoff_expiry
from ...selectors.readiness import headline_states, material_changes


@transaction.atomic
def open_review(
    *,
    actor: Any,
    programme: Programme,
    access: Access,
    signers: dict[str, Person] | None = None,
) -> ReadinessReview:
    """Open a new round, its four roles signed by ``signers`` or else by the people named for
    them. A round still open is superseded; its record stays."""
    require_may_write_readiness(access)
    chosen = dict(signers or {})
    unknown = set(chosen) - set(SignoffRole.values)
    if unknown:
        raise DomainError(f"Roles are: {', '.join(SignoffRole.values)}.", field="signers")
    for role, (field, label) in SIGNER_ROLE.items():
        if role not in chosen:
            person = getattr(programme, field)
            if person is None:
                raise DomainError(
                    f"Name the programme's {label}, or a signer for "
                    f"{SignoffRole(role).label.lower()}.",
                    field="signers",
                )
            chosen[role] = person
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    now = timezone.now()
    for stale in ReadinessReview.objects.filter(programme=locked, outcome=ReviewOutcome.OPEN):
        stale.outcome, stale.closed_at = ReviewOutcome.SUPERSEDED, now
        stale.save(update_fields=["outcome", "closed_at"])
    number = (locked.readiness_reviews.aggregate(n=Max("round"))["n"] or 0) + 1
    review = ReadinessReview.objects.create(
        programme=locked, round=number, opened_by=audit.acting_user(actor)
    )
    SignOff.objects.bulk_create(
        SignOff(review=review, role=role, signer=chosen[role]) for role in SignoffRole.values
    )
    audit.record(
        actor=actor,
        action="open_review",
        instance=review,
        programme=locked,
        after={role: {"id": p.pk, "name": p.name} for role, p in chosen.items()},
    )
    for role in SignoffRole.values:
        person = chosen[role]
        notify(
            recipient=person,
            programme=locked,
            kind=SIGNOFF_REQUESTED,
            occurrence=f"readiness-signoff-requested:{review.pk}:{role}",
            subject=f"Readiness review of {locked.name}: your sign-off for "
            f"{SignoffRole(role).label.lower()}",
            body=f"Round {number} of {locked.name}'s readiness review needs you to approve or "
            "reject, with a comment.",
            link=review.get_absolute_url(),
        )
    return review


def _attest(signoff: SignOff, now: Any) -> None:
    """Record what the sign-off is given on, and start its months of validity."""
    programme = signoff.review.programme
    headline = headline_states([programme.pk]).get(programme.pk)
    agreed = programme.readiness_definitions.filter(agreed_on__isnull=False).aggregate(
        n=Max("number")
    )["n"]
    signoff.attested_at = now
    signoff.expires_at = signoff_expiry(now)
    signoff.attested_definition = agreed
    signoff.attested_headline_id = headline.metric_id if headline else None
    signoff.attested_baseline = headline.baseline if headline else None
    signoff.attested_target = headline.target if headline else None
    signoff.attested_model_version = headline.latest_version if headline else ""


def _open_signoff(signoff: SignOff) -> SignOff:
    locked = SignOff.objects.select_for_update().select_related("review__programme", "signer")
    row = locked.get(pk=signoff.pk)
    if row.review.outcome != ReviewOutcome.OPEN:
        raise DomainError(
            f"Round {row.review.round} is {row.review.get_outcome_display().lower()}; sign the "
            "current round."
        )
    return row


@transaction.atomic
def sign(
    *, actor: Any, signoff: SignOff, access: Access, decision: str, comment: str = ""
) -> SignOff:
    """Approve or reject a role. A rejection says what must change, and closes the round."""
    require_may_sign(actor, signoff, access)
    row = _open_signoff(signoff)
    if decision not in (SignOffDecision.APPROVED, SignOffDecision.REJECTED):
        raise DomainError("Approve or reject.", field="decision")
    if row.decision == SignOffDecision.APPROVED:
        raise DomainError("You approved already; re-attest or withdraw instead.", field="decision")
    comment = comment.strip()
    if decision == SignOffDecision.REJECTED and not comment:
        raise DomainError("Say what must change before you would approve.", field="comment")
    before = audit.snapshot(row)
    now = timezone.now()
    row.decision, row.comment, row.decided_at = decision, comment, now
    if decision == SignOffDecision.APPROVED:
        _attest(row, now)
    row.save()
    if decision == SignOffDecision.REJECTED:
        review = row.review
        review.outcome, review.closed_at = ReviewOutcome.REJECTED, now
        review.save(update_fields=["outcome", "closed_at"])
    audit.record_update(actor=actor, instance=row, programme=row.review.programme, before=before)
    return row


@transaction.atomic
def reattest(*, actor: Any, signoff: SignOff, access: Access, comment: str = "") -> SignOff:
    """The signer confirms their approval holds: what changed is not material, or the year is
    up and nothing has. The sign-off starts its months of validity again."""
    require_may_sign(actor, signoff, access)
    row = _open_signoff(signoff)
    if row.decision != SignOffDecision.APPROVED:
        raise DomainError("Only an approval can be re-attested.", field="decision")
    programme = row.review.programme
    agreed = programme.readiness_definitions.filter(agreed_on__isnull=False).aggregate(
        n=Max("number")
    )["n"]
    changes = material_changes(row, headline_states([programme.pk]).get(programme.pk), agreed)
    before = audit.snapshot(row)
    _attest(row, timezone.now())
    row.save()
    audit.record(
        actor=actor,
        action="reattest",
        instance=row,
        programme=programme,
        before=before,
        after={
            "not_material": list(changes),
            "comment": comment.strip(),
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        },
    )
    return row


@transaction.atomic
def withdraw(*, actor: Any, signoff: SignOff, access: Access, comment: str = "") -> SignOff:
    """The signer takes their approval back: the review no longer passes until they sign."""
    require_may_sign(actor, signoff, access)
    row = _open_signoff(signoff)
    if row.decision != SignOffDecision.APPROVED:
        raise DomainError("Only an approval can be withdrawn.", field="decision")
    before = audit.snapshot(row)
    row.decision, row.comment, row.decided_at = (
        SignOffDecision.WITHDRAWN,
        comment.strip(),
        timezone.now(),
    )
    row.expires_at = None
    row.save()
    audit.record_update(actor=actor, instance=row, programme=row.review.programme, before=before)
    return row
