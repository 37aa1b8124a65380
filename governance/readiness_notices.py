"""Telling signers that something changed since they approved, in bulk: the data-change listener
calls it in the transaction that posts a measurement or changes the headline (so each signer is
told at once), agreeing a new definition calls it, and the tick runs it as a safety net. The
occurrence names the sign-off and its attestation, so whichever writes first, nobody hears twice."""

from collections.abc import Iterable

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from programmes.outbox import Message, notify_all, written
from programmes.registry.data_changes import MEASUREMENTS, METRIC
from scorecards.models import Measurement, Metric

from .models import DefinitionVersion, ReviewOutcome, SignOff, SignOffDecision
from .notification_kinds import REATTEST
from .selectors.readiness import headline_states, material_changes


def readiness_link(slug: str) -> str:
    return f"/programmes/{slug}/readiness/"


def attestation(signoff: SignOff) -> str:
    """The sign-off and the moment it was last attested: a re-attestation starts a new one."""
    return f"{signoff.pk}:{signoff.attested_at:%Y%m%d%H%M%S}"


def approved_signoffs() -> QuerySet[SignOff]:
    """The approvals of the rounds in force, with what their messages name."""
    return SignOff.objects.filter(
        review__outcome=ReviewOutcome.OPEN, decision=SignOffDecision.APPROVED
    ).select_related("signer", "review__programme__executive_sponsor")


def possibly_changed(signoffs: QuerySet[SignOff]) -> QuerySet[SignOff]:
    """The approvals something may have changed for since they were attested, found in the
    query: a headline measurement on another model version, the headline (or its numbers) not
    the one attested, or a later agreed definition. ``material_changes`` has the last word."""
    programme = OuterRef("review__programme_id")
    new_model = (
        Measurement.objects.filter(
            metric__programme_id=programme,
            metric__is_headline=True,
            measured_at__gt=OuterRef("attested_at"),
        )
        .exclude(model_version="")
        .exclude(model_version=OuterRef("attested_model_version"))
    )
    same_headline = Metric.objects.filter(
        pk=OuterRef("attested_headline_id"),
        is_headline=True,
        baseline_value=OuterRef("attested_baseline"),
        target_value=OuterRef("attested_target"),
    )
    headline_now = Metric.objects.filter(programme_id=programme, is_headline=True)
    other_headline = Q(attested_headline_id__isnull=True) & Exists(headline_now) | Q(
        attested_headline_id__isnull=False
    ) & ~Exists(same_headline)
    later_definition = DefinitionVersion.objects.filter(
        programme_id=programme, agreed_on__isnull=False, number__gt=OuterRef("attested_definition")
    )
    no_definition_attested = Q(attested_definition__isnull=True) & Exists(
        DefinitionVersion.objects.filter(programme_id=programme, agreed_on__isnull=False)
    )
    return signoffs.filter(
        Exists(new_model) | other_headline | Exists(later_definition) | no_definition_attested
    )


def tell_of_changes(signoffs: Iterable[SignOff]) -> int:
    """Ask each signer of ``signoffs`` whose approval something changed for to re-attest, once
    per attestation; returns how many messages were written. A fixed number of queries."""
    signoffs = list(signoffs)
    programme_ids = sorted({s.review.programme_id for s in signoffs})
    if not programme_ids:
        return 0
    headlines = headline_states(programme_ids)
    agreed = dict(
        DefinitionVersion.objects.filter(programme_id__in=programme_ids, agreed_on__isnull=False)
        .order_by()
        .values_list("programme_id")
        .annotate(number=Max("number"))
    )
    due: list[tuple[SignOff, tuple[str, ...]]] = []
    for signoff in signoffs:
        programme_id = signoff.review.programme_id
        changes = material_changes(signoff, headlines.get(programme_id), agreed.get(programme_id))
        if changes:
            due.append((signoff, changes))
    told = written((f"readiness-changed:{attestation(s)}", s.signer_id) for s, _ in due)
    messages = []
    for signoff, changes in due:
        occurrence = f"readiness-changed:{attestation(signoff)}"
        if (occurrence, signoff.signer_id) in told:
            continue
        programme, role = signoff.review.programme, signoff.get_role_display().lower()
        messages.append(
            Message(
                recipient=signoff.signer,
                programme=programme,
                kind=REATTEST,
                occurrence=occurrence,
                subject=f"Re-attest your {role} sign-off of {programme.name}: this changed",
                body="Since you approved: " + "; ".join(changes) + ". Confirm it is not "
                "material, or withdraw your approval.",
                link=readiness_link(programme.slug),
            )
        )
    return notify_all(messages)


def tell_signers_of_programme(programme_id: int) -> int:
    in_force = approved_signoffs().filter(review__programme_id=programme_id)
    return tell_of_changes(possibly_changed(in_force))


def headline_data_changed(programme_id: int, what: str) -> None:
    """The programme data listener: a measurement or a change to the headline may be material
    to the approvals in force; their signers hear of it in the same transaction."""
    if what in (MEASUREMENTS, METRIC):
        tell_signers_of_programme(programme_id)
