"""Reads about readiness: each criterion's live status, the review with its sign-offs and what
changed since each was given, what production still needs, and the pilot verdict. Every read
takes a fixed number of queries whatever the number of criteria, rounds or programmes."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Max, Prefetch, Q

from programmes.any_of import AnyOf
from programmes.models import Programme, Stage
from programmes.numbers import plain_number
from scorecards.models import Measurement, Metric

from ..models import (
    Criterion,
    CriterionStatus,
    DefinitionVersion,
    Pillar,
    ReadinessReview,
    ReviewOutcome,
    SignOff,
    SignOffDecision,
    Waiver,
)
from ..readiness_evidence import CHECKS, Evidence, ProgrammeFacts, judge, programme_facts
from ..readiness_rules import REATTEST_FIRST_ASK

# How many unmet criteria a refusal names before it counts the rest.
NAMED_UNMET = 5


@dataclass(frozen=True)
class CriterionState:
    criterion: Criterion
    status: str
    evidence: Evidence | None
    waiver: Waiver | None
    lapsed_waiver: Waiver | None

    @property
    def satisfied(self) -> bool:
        return self.status in (CriterionStatus.MET, CriterionStatus.WAIVED)

    @property
    def status_label(self) -> str:
        if self.evidence is not None and not self.evidence.holds and not self.waiver:
            return "Not met"
        return str(CriterionStatus(self.status).label)

    @property
    def reopened(self) -> str:
        """Why a criterion is open again after its waiver lapsed ("" when it is not)."""
        if self.lapsed_waiver is None or self.waiver is not None or self.satisfied:
            return ""
        return (
            f"Its waiver expired on {self.lapsed_waiver.expires_on:%Y-%m-%d}: the criterion is "
            "open again."
        )


@dataclass(frozen=True)
class HeadlineState:
    """What a sign-off is given on: the headline, its numbers, and when each model version
    was last measured on it."""

    metric_id: int
    baseline: Decimal
    target: Decimal
    versions: dict[str, dt.datetime]
    latest_version: str


@dataclass(frozen=True)
class SignOffState:
    signoff: SignOff
    expired: bool
    changes: tuple[str, ...]
    renewal_due: bool

    @property
    def needs_reattestation(self) -> bool:
        return self.signoff.decision == SignOffDecision.APPROVED and (
            self.expired or bool(self.changes)
        )


@dataclass(frozen=True)
class ReviewState:
    review: ReadinessReview
    signoffs: tuple[SignOffState, ...]


@dataclass(frozen=True)
class Readiness:
    programme: Programme
    now: dt.datetime
    versions: tuple[DefinitionVersion, ...]
    criteria: tuple[CriterionState, ...]
    current: ReviewState | None
    # The earlier rounds asked for (newest first), and how many there are in all.
    past: tuple[ReviewState, ...]
    refusals: tuple[str, ...]
    past_total: int = 0

    @property
    def passed(self) -> bool:
        return not self.refusals

    @property
    def definition(self) -> DefinitionVersion | None:
        """The definition in force: the latest agreed version."""
        return next((v for v in self.versions if v.is_agreed), None)

    @property
    def draft(self) -> DefinitionVersion | None:
        """A version written after the one in force and not agreed yet."""
        latest = self.versions[0] if self.versions else None
        return latest if latest is not None and not latest.is_agreed else None

    @property
    def by_pillar(self) -> list[tuple[str, list[CriterionState]]]:
        grouped: dict[str, list[CriterionState]] = defaultdict(list)
        for state in self.criteria:
            grouped[state.criterion.pillar].append(state)
        return [(label, grouped[key]) for key, label in Pillar.choices if grouped[key]]

    @property
    def warning(self) -> str:
        """What every page says of a programme in production whose readiness no longer holds."""
        if self.programme.stage != Stage.PRODUCTION or self.passed:
            return ""
        return "In production without a valid readiness sign-off: " + " ".join(self.refusals)


def headline_states(programme_ids: list[int]) -> dict[int, HeadlineState]:
    headlines = {
        metric.pk: metric
        for metric in Metric.objects.filter(
            AnyOf(F("programme_id"), programme_ids), is_headline=True
        )
    }
    versions: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    latest: dict[int, tuple[dt.datetime, str]] = {}
    rows = (
        Measurement.objects.filter(AnyOf(F("metric_id"), list(headlines)))
        .exclude(model_version="")
        .values("metric_id", "model_version")
        .annotate(last=Max("measured_at"))
    )
    for row in rows:
        versions[row["metric_id"]][row["model_version"]] = row["last"]
        seen = latest.get(row["metric_id"])
        if seen is None or row["last"] > seen[0]:
            latest[row["metric_id"]] = (row["last"], row["model_version"])
    return {
        metric.programme_id: HeadlineState(
            metric_id=metric.pk,
            baseline=metric.baseline_value,
            target=metric.target_value,
            versions=versions[metric.pk],
            latest_version=latest.get(metric.pk, (None, ""))[1],
        )
        for metric in headlines.values()
    }


def material_changes(
    signoff: SignOff, headline: HeadlineState | None, definition_number: int | None
) -> tuple[str, ...]:
    """What changed since ``signoff`` was given (or last re-attested) that may be material."""
    if signoff.decision != SignOffDecision.APPROVED or signoff.attested_at is None:
        return ()
    changes = []
    if definition_number is not None and (signoff.attested_definition or 0) < definition_number:
        changes.append(f"a new version of the readiness definition (v{definition_number})")
    if headline is None:
        if signoff.attested_headline_id is not None:
            changes.append("the headline metric is gone")
        return tuple(changes)
    if signoff.attested_headline_id != headline.metric_id:
        changes.append("another metric is the headline")
    else:
        for name, was, now in (
            ("baseline", signoff.attested_baseline, headline.baseline),
            ("target", signoff.attested_target, headline.target),
        ):
            if was is not None and was != now:
                changes.append(
                    f"the headline's {name} changed from {plain_number(was)} to {plain_number(now)}"
                )
    attested_at = signoff.attested_at
    new_models = sorted(
        version
        for version, last in headline.versions.items()
        if version != signoff.attested_model_version and last > attested_at
    )
    if new_models:
        changes.append(f"a new model/version on the headline: {', '.join(new_models)}")
    return tuple(changes)


def criterion_status(stored: str, waived: bool, evidence: Evidence | None) -> str:
    """A criterion's live status: waived while a waiver runs; an automatic criterion met only
    while its evidence holds; otherwise what people set."""
    open_statuses = (CriterionStatus.NOT_STARTED, CriterionStatus.IN_PROGRESS)
    if waived:
        return CriterionStatus.WAIVED
    if evidence is not None and evidence.holds:
        return CriterionStatus.MET
    if evidence is not None or stored == CriterionStatus.WAIVED:
        # Keel's own check decides an automatic criterion; a tick never makes it met.
        return stored if stored in open_statuses else CriterionStatus.IN_PROGRESS
    return stored


def _criterion_state(criterion: Criterion, facts: ProgrammeFacts, today: dt.date) -> CriterionState:
    waivers = list(criterion.waivers.all())
    active = next((w for w in waivers if w.expires_on > today), None)
    lapsed = next((w for w in waivers if w.expires_on <= today), None)
    evidence = (
        judge(criterion.evidence_check, facts) if criterion.evidence_check in CHECKS else None
    )
    status = criterion_status(criterion.status, active is not None, evidence)
    return CriterionState(criterion, status, evidence, active, lapsed)


def signoff_state(
    signoff: SignOff, headline: HeadlineState | None, definition: int | None, now: dt.datetime
) -> SignOffState:
    expires = signoff.expires_at
    approved = signoff.decision == SignOffDecision.APPROVED
    return SignOffState(
        signoff=signoff,
        expired=approved and expires is not None and expires <= now,
        changes=material_changes(signoff, headline, definition),
        renewal_due=approved and expires is not None and expires - REATTEST_FIRST_ASK <= now,
    )


def _refusals(criteria: list[CriterionState], current: ReviewState | None) -> list[str]:
    unmet = [state.criterion.title for state in criteria if not state.satisfied]
    return signoff_refusals(current) + criteria_refusals(bool(criteria), unmet)


def signoff_refusals(current: ReviewState | None) -> list[str]:
    """What the current round still lacks for production, as the stage gate words it."""
    refusals = []
    if current is None:
        refusals.append(
            "No readiness review is open: open one so delivery, security, risk & compliance "
            "and product can sign."
        )
    else:
        roles_by_signer: dict[int, list[str]] = defaultdict(list)
        for state in current.signoffs:
            signoff = state.signoff
            role, signer = signoff.get_role_display(), signoff.signer.name
            roles_by_signer[signoff.signer_id].append(role)
            if signoff.decision != SignOffDecision.APPROVED:
                decision = signoff.get_decision_display().lower()
                refusals.append(f"{role} has not approved ({decision}: {signer}).")
            elif state.expired and signoff.expires_at is not None:
                refusals.append(
                    f"{role}'s sign-off by {signer} expired on {signoff.expires_at:%Y-%m-%d}: "
                    "it must be re-attested."
                )
            elif state.changes:
                refusals.append(f"{role} ({signer}) must re-attest: {'; '.join(state.changes)}.")
        for signer_id, roles in roles_by_signer.items():
            if len(roles) > 1:
                name = next(
                    s.signoff.signer.name
                    for s in current.signoffs
                    if s.signoff.signer_id == signer_id
                )
                refusals.append(
                    f"{' and '.join(roles)} are signed by one person ({name}): four different "
                    "people must sign."
                )
    return refusals


def criteria_refusals(has_criteria: bool, unmet: list[str]) -> list[str]:
    """What the criteria still lack for production: ``unmet`` are the titles neither met nor
    waived."""
    refusals = []
    if not has_criteria:
        refusals.append("The programme has no readiness criteria: start from the default set.")
    elif unmet:
        named = ", ".join(unmet[:NAMED_UNMET])
        more = f" and {len(unmet) - NAMED_UNMET} more" if len(unmet) > NAMED_UNMET else ""
        refusals.append(f"Criteria not met or waived: {named}{more}.")
    return refusals


def readiness_of(
    programme: Programme, now: dt.datetime, *, past_rounds: slice | None = None
) -> Readiness:
    """Everything readiness knows about ``programme`` at ``now`` (its owners loaded), with the
    earlier rounds ``past_rounds`` picks (newest first; all of them by default)."""
    versions = tuple(
        programme.readiness_definitions.prefetch_related("agreed_by").select_related("written_by")
    )
    criteria_rows = programme.readiness_criteria.select_related("owner").prefetch_related(
        Prefetch("waivers", queryset=Waiver.objects.select_related("approver"))
    )
    facts = programme_facts([programme], now)[programme.pk]
    criteria = [_criterion_state(row, facts, now.date()) for row in criteria_rows]
    headline = headline_states([programme.pk]).get(programme.pk)
    agreed = next((v.number for v in versions if v.is_agreed), None)
    reviews = programme.readiness_reviews.prefetch_related(
        Prefetch("signoffs", queryset=SignOff.objects.select_related("signer"))
    ).order_by("-round")

    earlier = reviews.exclude(outcome=ReviewOutcome.OPEN)
    if past_rounds is not None:
        # The open round and the page of earlier ones in one query (and one for their sign-offs).
        picked = earlier[past_rounds].values("pk")
        reviews = reviews.filter(Q(outcome=ReviewOutcome.OPEN) | Q(pk__in=picked))
    rounds = [
        ReviewState(r, tuple(signoff_state(s, headline, agreed, now) for s in r.signoffs.all()))
        for r in reviews
    ]
    current = next((r for r in rounds if r.review.outcome == ReviewOutcome.OPEN), None)
    past = [r for r in rounds if r is not current]
    return Readiness(
        programme=programme,
        now=now,
        versions=versions,
        criteria=tuple(criteria),
        current=current,
        past=tuple(past),
        refusals=tuple(_refusals(criteria, current)),
        past_total=earlier.count() if past_rounds is not None else len(past),
    )
