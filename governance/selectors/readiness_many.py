"""Readiness of many programmes at once, as the leadership dashboard shows it: criteria met of
all, the current round's sign-off, and whether the review passes. It reads plain rows (no
criterion or waiver objects: a large portfolio holds tens of thousands) and judges them with the
Readiness tab's own rules (``readiness.criterion_status``, ``signoff_refusals``,
``criteria_refusals``), in a fixed number of queries for any number of programmes."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Max

from oncall.models import Rotation
from programmes.any_of import AnyOf
from programmes.models import Programme, Stage

from ..models import (
    Criterion,
    CriterionStatus,
    DefinitionVersion,
    ReadinessReview,
    ReviewOutcome,
    SignOff,
    SignOffDecision,
    Waiver,
)
from ..readiness_evidence import CHECKS, judge, programme_facts
from .readiness import (
    ReviewState,
    SignOffState,
    criteria_refusals,
    criterion_status,
    headline_states,
    signoff_refusals,
    signoff_state,
)

SATISFIED = (CriterionStatus.MET, CriterionStatus.WAIVED)
# What a sign-off's state and the stage gate's words read of it.
SIGNOFF_FIELDS = (
    "review_id",
    "role",
    "signer_id",
    "decision",
    "expires_at",
    "attested_at",
    "attested_definition",
    "attested_headline_id",
    "attested_baseline",
    "attested_target",
    "attested_model_version",
)


@dataclass(frozen=True)
class ReadinessSummary:
    """What the dashboard's readiness column shows of one programme."""

    criteria_met: int
    criteria_total: int
    # "none" (no review open), "pending" (not all four approved), "valid", "reattest" (a
    # material change asks for re-attestation) or "expired".
    signoff: str
    # The soonest expiry of the current round's approvals.
    valid_until: dt.datetime | None
    passed: bool
    # In production, why readiness no longer holds, in a few words (the Readiness tab has the
    # stage gate's full refusals); "" otherwise.
    lapsed_because: str

    @property
    def lapsed(self) -> bool:
        """In production with an expired or invalidated sign-off."""
        return bool(self.lapsed_because)


# Why a programme in production no longer has a valid sign-off, by the state of its sign-offs;
# with all four valid, it is that a criterion stopped holding.
LAPSED_BECAUSE = {
    "none": "no readiness review",
    "pending": "sign-offs missing",
    "reattest": "a sign-off to re-attest",
    "expired": "a sign-off expired",
}


def signoff_word(states: Sequence[SignOffState] | None) -> str:
    """The current round's sign-offs in one word (``ReadinessSummary.signoff``)."""
    if states is None:
        return "none"
    approved = [s for s in states if s.signoff.decision == SignOffDecision.APPROVED]
    if any(s.expired for s in approved):
        return "expired"
    if any(s.needs_reattestation for s in approved):
        return "reattest"
    if not states or len(approved) < len(states):
        return "pending"
    return "valid"


def _criteria(
    programmes: Sequence[Programme], now: dt.datetime, rotations: list[Rotation] | None
) -> dict[int, list[tuple[str, str]]]:
    """Each programme's criteria as (title, live status), in position order."""
    ids = [programme.pk for programme in programmes]
    rows = list(
        Criterion.objects.filter(AnyOf(F("programme_id"), ids))
        .order_by("programme_id", "position", "id")
        .values_list("pk", "programme_id", "title", "evidence_check", "status")
    )
    waived = set(
        Waiver.objects.filter(
            AnyOf(F("criterion__programme_id"), ids), expires_on__gt=now.date()
        ).values_list("criterion_id", flat=True)
    )
    # Only a programme with an automatic criterion needs the facts its checks read.
    checked = {pid for _, pid, _, check, _ in rows if check in CHECKS}
    facts = (
        programme_facts([p for p in programmes if p.pk in checked], now, rotations)
        if checked
        else {}
    )
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pk, pid, title, check, stored in rows:
        evidence = judge(check, facts[pid]) if check in CHECKS else None
        found[pid].append((title, criterion_status(stored, pk in waived, evidence)))
    return found


def _current_rounds(ids: list[int], now: dt.datetime) -> dict[int, ReviewState]:
    """Each programme's open review round with its sign-offs' states."""
    rounds = {
        review.pk: review
        for review in ReadinessReview.objects.filter(
            AnyOf(F("programme_id"), ids), outcome=ReviewOutcome.OPEN
        ).only("id", "programme_id", "round", "outcome")
    }
    # What a sign-off is judged against is read only for the programmes with a round open:
    # across a portfolio, few.
    in_review = sorted({review.programme_id for review in rounds.values()})
    agreed = dict(
        DefinitionVersion.objects.filter(
            AnyOf(F("programme_id"), in_review), agreed_on__isnull=False
        )
        .values("programme_id")
        .annotate(number=Max("number"))
        .values_list("programme_id", "number")
    )
    headlines = headline_states(in_review)
    states: dict[int, list[SignOffState]] = defaultdict(list)
    signoffs = (
        SignOff.objects.filter(
            AnyOf(F("review__programme_id"), ids), review__outcome=ReviewOutcome.OPEN
        )
        .select_related("signer")
        .only(*SIGNOFF_FIELDS, "signer__name")
        .order_by("review_id", "id")
    )
    for signoff in signoffs:
        pid = rounds[signoff.review_id].programme_id
        states[signoff.review_id].append(
            signoff_state(signoff, headlines.get(pid), agreed.get(pid), now)
        )
    return {
        review.programme_id: ReviewState(review, tuple(states[pk])) for pk, review in rounds.items()
    }


def readiness_summaries(
    programmes: Sequence[Programme], now: dt.datetime, rotations: list[Rotation] | None = None
) -> dict[int, ReadinessSummary]:
    """The dashboard's readiness column for many programmes, by id. The programmes come with
    their owners loaded (the automatic checks read them); ``rotations``, when the caller has
    read them (``oncall.selectors.rotations_with_versions``)."""
    ids = [programme.pk for programme in programmes]
    criteria = _criteria(programmes, now, rotations)
    rounds = _current_rounds(ids, now)
    summaries = {}
    for programme in programmes:
        pk = programme.pk
        current = rounds.get(pk)
        states = criteria.get(pk, [])
        unmet = [title for title, status in states if status not in SATISFIED]
        passed = not signoff_refusals(current) and not criteria_refusals(bool(states), unmet)
        signoff = signoff_word(current.signoffs if current else None)
        expiries = [
            s.signoff.expires_at
            for s in (current.signoffs if current else ())
            if s.signoff.decision == SignOffDecision.APPROVED and s.signoff.expires_at
        ]
        in_production = programme.stage == Stage.PRODUCTION
        summaries[pk] = ReadinessSummary(
            criteria_met=len(states) - len(unmet),
            criteria_total=len(states),
            signoff=signoff,
            valid_until=min(expiries, default=None),
            passed=passed,
            lapsed_because=(
                LAPSED_BECAUSE.get(signoff, "readiness criteria no longer met")
                if in_production and not passed
                else ""
            ),
        )
    return summaries
