"""Readiness of many programmes at once, for the leadership dashboard: the same ``Readiness`` the
Readiness tab reads (built by the same rules of ``readiness``: each criterion's state, each
sign-off's state, the refusals), loaded for any number of programmes in a fixed number of
queries, and the summary a dashboard row shows."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch

from programmes.models import Programme, Stage

from ..models import (
    Criterion,
    DefinitionVersion,
    ReadinessReview,
    ReviewOutcome,
    SignOff,
    SignOffDecision,
    Waiver,
)
from ..readiness_evidence import programme_facts
from .readiness import (
    Readiness,
    ReviewState,
    _criterion_state,
    _refusals,
    _signoff_state,
    headline_states,
)


def readiness_many(programmes: Sequence[Programme], now: dt.datetime) -> dict[int, Readiness]:
    """Each programme's readiness at ``now`` by id, in a fixed number of queries. The programmes
    come with their owners loaded (the automatic checks read them)."""
    ids = [programme.pk for programme in programmes]
    versions: dict[int, list[DefinitionVersion]] = defaultdict(list)
    for version in DefinitionVersion.objects.filter(programme_id__in=ids).prefetch_related(
        "agreed_by"
    ):
        versions[version.programme_id].append(version)
    criteria_rows: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in (
        Criterion.objects.filter(programme_id__in=ids)
        .select_related("owner")
        .prefetch_related(Prefetch("waivers", queryset=Waiver.objects.select_related("approver")))
    ):
        criteria_rows[criterion.programme_id].append(criterion)
    # A programme without criteria has no check to judge: its facts are not read.
    judged = [programme for programme in programmes if criteria_rows[programme.pk]]
    facts = programme_facts(judged, now) if judged else {}
    headlines = headline_states(ids)
    reviews: dict[int, list[ReadinessReview]] = defaultdict(list)
    for review in ReadinessReview.objects.filter(programme_id__in=ids).prefetch_related(
        Prefetch("signoffs", queryset=SignOff.objects.select_related("signer"))
    ):
        reviews[review.programme_id].append(review)
    found = {}
    for programme in programmes:
        pk = programme.pk
        programme_versions = tuple(versions[pk])
        criteria = [_criterion_state(row, facts[pk], now.date()) for row in criteria_rows[pk]]
        headline = headlines.get(pk)
        agreed = next((v.number for v in programme_versions if v.is_agreed), None)
        rounds = [
            ReviewState(
                review,
                tuple(_signoff_state(s, headline, agreed, now) for s in review.signoffs.all()),
            )
            for review in reviews[pk]
        ]
        current = next((r for r in rounds if r.review.outcome == ReviewOutcome.OPEN), None)
        found[pk] = Readiness(
            programme=programme,
            now=now,
            versions=programme_versions,
            criteria=tuple(criteria),
            current=current,
            past=tuple(r for r in rounds if r is not current),
            refusals=tuple(_refusals(criteria, current)),
        )
    return found


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
    # In production, why readiness no longer holds, in a few words (``Readiness.refusals`` has
    # them all); "" otherwise.
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


def summary_of(readiness: Readiness) -> ReadinessSummary:
    current = readiness.current
    states = current.signoffs if current else ()
    approved = [s for s in states if s.signoff.decision == SignOffDecision.APPROVED]
    expiries = [s.signoff.expires_at for s in approved if s.signoff.expires_at is not None]
    if current is None:
        signoff = "none"
    elif any(s.expired for s in approved):
        signoff = "expired"
    elif any(s.needs_reattestation for s in approved):
        signoff = "reattest"
    elif len(approved) < len(states) or not states:
        signoff = "pending"
    else:
        signoff = "valid"
    in_production = readiness.programme.stage == Stage.PRODUCTION
    lapsed_because = ""
    if in_production and not readiness.passed:
        lapsed_because = LAPSED_BECAUSE.get(signoff, "readiness criteria no longer met")
    return ReadinessSummary(
        criteria_met=sum(state.satisfied for state in readiness.criteria),
        criteria_total=len(readiness.criteria),
        signoff=signoff,
        valid_until=min(expiries, default=None),
        passed=readiness.passed,
        lapsed_because=lapsed_because,
    )


def readiness_summaries(
    programmes: Sequence[Programme], now: dt.datetime
) -> dict[int, ReadinessSummary]:
    """The dashboard's readiness column for many programmes, by id, in a fixed number of
    queries."""
    return {pk: summary_of(readiness) for pk, readiness in readiness_many(programmes, now).items()}
