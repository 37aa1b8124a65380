"""The demo portfolio's readiness: one programme in production with a passed review, one whose
sign-offs ask for re-attestation after a model change, one in readiness review with two of four
sign-offs. The contract clause programme has none of the three answers: a pilot."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes import services as programme_services
from programmes.models import Person, Programme, Role, Stage
from programmes.registry.demo import demo_loader
from programmes.rules import access_for
from scorecards.models import Measurement, MeasurementSource

from .models import (
    Criterion,
    CriterionStatus,
    DefinitionVersion,
    ReadinessReview,
    SignOff,
    SignOffDecision,
    Waiver,
)
from .readiness_rules import PILLAR_OWNER_ROLE, signoff_expiry
from .selectors.readiness import headline_states, readiness_of
from .services import readiness as services

OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
DEFINITION = """A programme is ready for production when:

- its headline metric has a baseline and a target agreed with leadership, and is measured by
  the evaluation harness on every release;
- red-team probes, prompt-injection and jailbreak suites run and pass;
- someone is on call for it around the clock, with runbooks for what can go wrong;
- its risk, security, delivery and product owners have each signed it off.
"""

# programme → (signers by role, days since they signed, roles that signed, the stage to end in)
DEMO_REVIEWS: dict[str, tuple[dict[str, str], int, tuple[str, ...], str]] = {
    "Claims triage assistant": (
        {
            "delivery": "Aisha Mensah",
            "security": "Jonas Weber",
            "risk": "Fatima Haddad",
            "product": "Sofia Alvarez",
        },
        1,
        ("delivery", "security", "risk", "product"),
        Stage.PRODUCTION,
    ),
    "Fraud alert summariser": (
        {
            "delivery": "Aisha Mensah",
            "security": "Jonas Weber",
            "risk": "Fatima Haddad",
            "product": "Sofia Alvarez",
        },
        20,
        ("delivery", "security", "risk", "product"),
        "",
    ),
    "Customer support copilot": (
        {
            "delivery": "Oliver Grant",
            "security": "Jonas Weber",
            "risk": "Fatima Haddad",
            "product": "Grace Liu",
        },
        0,
        ("delivery", "product"),
        Stage.READINESS_REVIEW,
    ),
}
# The model the fraud summariser's headline was measured on after its sign-off.
NEW_MODEL = "summariser-2026-12"


def _prepare(programme: Programme, people: dict[str, Person], now: dt.datetime) -> None:
    """An agreed definition, the default criteria with people's ticks, and a waiver (by the
    pillar's owner) for whatever Keel's own checks do not find in the demo data."""
    version = DefinitionVersion.objects.create(programme=programme, number=1, text=DEFINITION)
    version.agreed_on = (now - dt.timedelta(days=60)).date()
    version.save()
    version.agreed_by.set(
        [p for p in (programme.programme_owner, programme.executive_sponsor) if p is not None]
    )
    services.start_default_criteria(actor=None, programme=programme, access=OWNER)
    Criterion.objects.filter(programme=programme, evidence_check="").update(
        status=CriterionStatus.MET, owner=programme.technical_owner
    )
    for state in readiness_of(programme, now).criteria:
        if state.satisfied:
            continue
        field, _ = PILLAR_OWNER_ROLE[state.criterion.pillar]
        approver = getattr(programme, field) or programme.programme_owner
        if approver is None:
            continue
        Waiver.objects.create(
            criterion=state.criterion,
            reason="Accepted for the first release. "
            + (state.evidence.fact if state.evidence else ""),
            approver=approver,
            expires_on=(now + dt.timedelta(days=90)).date(),
        )


def _sign(
    review: ReadinessReview,
    signers: dict[str, str],
    signed: tuple[str, ...],
    at: dt.datetime,
    people: dict[str, Person],
) -> None:
    programme = review.programme
    headline = headline_states([programme.pk]).get(programme.pk)
    for role, name in signers.items():
        signoff = SignOff(review=review, role=role, signer=people[name])
        if role in signed:
            signoff.decision, signoff.decided_at, signoff.comment = (
                SignOffDecision.APPROVED,
                at,
                "Approved.",
            )
            signoff.attested_at, signoff.expires_at = at, signoff_expiry(at)
            signoff.attested_definition = 1
            if headline is not None:
                signoff.attested_headline_id = headline.metric_id
                signoff.attested_baseline = headline.baseline
                signoff.attested_target = headline.target
                signoff.attested_model_version = headline.latest_version
        signoff.save()


@demo_loader(order=50)
def load_readiness(*, users: dict[str, Any], people: dict[str, Person]) -> str:
    now = timezone.now()
    loaded = 0
    for name, (signers, days_ago, signed, stage) in DEMO_REVIEWS.items():
        programme = Programme.objects.filter(name=name).first()
        if programme is None or programme.readiness_definitions.exists():
            continue
        with transaction.atomic():
            _prepare(programme, people, now)
            review = ReadinessReview.objects.create(programme=programme, round=1)
            ReadinessReview.objects.filter(pk=review.pk).update(
                opened_at=now - dt.timedelta(days=days_ago + 2)
            )
            _sign(review, signers, signed, now - dt.timedelta(days=days_ago), people)
            if name == "Fraud alert summariser":
                headline = programme.metrics.filter(is_headline=True).first()
                if headline is not None:
                    Measurement.objects.get_or_create(
                        metric=headline,
                        external_id="demo-readiness-new-model",
                        defaults={
                            "value": Decimal("97.4"),
                            "measured_at": now - dt.timedelta(days=2),
                            "source": MeasurementSource.EVALUATION_RUN,
                            "model_version": NEW_MODEL,
                        },
                    )
            path = [stage] if stage else []
            for to_stage in path:
                if programme.stage != to_stage:
                    programme_services.transition_programme(
                        actor=users["owner"],
                        programme=programme,
                        access=OWNER,
                        to_stage=to_stage,
                        reason="Readiness review passed: all four roles approved."
                        if to_stage == Stage.PRODUCTION
                        else "Asking delivery, security, risk and product to sign off.",
                    )
        loaded += 1
    return f"readiness: {loaded} programmes with a definition, criteria and a review"
