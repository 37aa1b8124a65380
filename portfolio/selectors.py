"""The dashboard's rows: one selector that the pages, the exports, the API and the Monday digest
share. It reads every other app through its ``dashboard_facts`` selector, in bulk, so the number
of queries stays the same however many programmes a user sees."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.timezone import localtime

from governance.selectors.pilot_verdict import pilot_verdicts
from governance.selectors.portfolio_facts import ReviewStanding, review_standings
from governance.selectors.readiness_many import ReadinessSummary, readiness_summaries
from governance.selectors.stop_conditions import ConditionStanding, condition_standings
from incidents.selectors import IncidentFacts
from incidents.selectors import dashboard_facts as incident_facts
from oncall.selectors import CoverageFacts, rotations_with_versions
from oncall.selectors import dashboard_facts as coverage_facts
from programmes.models import Programme, Stage
from programmes.registry.overdue_actions import overdue_actions
from programmes.selectors import visible_programmes, with_owners
from scorecards.portfolio_facts import ScorecardFacts
from scorecards.portfolio_facts import dashboard_facts as scorecard_facts

from . import rules


@dataclass(frozen=True)
class Row:
    """One programme on the dashboard, with every fact its columns show and why it sits where it
    does."""

    programme: Programme
    scorecard: ScorecardFacts
    incidents: IncidentFacts
    coverage: CoverageFacts
    conditions: list[ConditionStanding]
    readiness: ReadinessSummary
    reviews: ReviewStanding
    overdue_actions: int
    status: str
    reasons: list[rules.Reason]
    buckets: set[str]

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)

    @property
    def is_pilot(self) -> bool:
        """A pilot whatever its stage says, by governance's pilot verdict."""
        return "pilots" in self.buckets

    @property
    def reason_text(self) -> str:
        return "; ".join(reason.text for reason in self.reasons)

    @property
    def signoff_text(self) -> str:
        """The readiness column's words for the sign-off: "valid until 1 Dec 2027", "expired"."""
        readiness = self.readiness
        words = rules.SIGNOFF_LABELS[readiness.signoff]
        if readiness.signoff == "valid" and readiness.valid_until is not None:
            # A date on the reader's own calendar (the zone the request activated).
            words += f" until {localtime(readiness.valid_until):%-d %b %Y}"
        return words

    @property
    def missing_owners(self) -> list[str]:
        return self.programme.missing_owner_labels()

    @property
    def tripped(self) -> list[ConditionStanding]:
        """Stop conditions tripped and waiting for a decision."""
        return [c for c in self.conditions if c.needs_decision]

    @property
    def closest_condition(self) -> ConditionStanding | None:
        """The untripped condition nearest to tripping, where its rule can say."""
        judged = [
            c for c in self.conditions if not c.needs_decision and c.distance_fraction is not None
        ]
        return max(judged, key=lambda c: c.distance_fraction or 0, default=None)


def dashboard_programmes(user: Any) -> list[Programme]:
    """The programmes on ``user``'s dashboard: all they may see but the retired, owners loaded."""
    return with_owners(
        visible_programmes(user).exclude(stage=Stage.RETIRED).order_by("name", "pk"),
        # The owners readiness's checks and the pilot verdict read.
        ("programme_owner", "executive_sponsor", "risk_owner", "oncall_lead"),
    )


def portfolio_rows(user: Any, now: dt.datetime) -> list[Row]:
    """Every programme ``user`` may see as a dashboard row at ``now``, worst first."""
    return rows_for(dashboard_programmes(user), now)


def rows_for(programmes: list[Programme], now: dt.datetime) -> list[Row]:
    """Dashboard rows for these programmes at ``now``, worst first by ``rules.RISK_ORDER``."""
    ids = [p.pk for p in programmes]
    scorecards = scorecard_facts(programmes, now)
    incidents = incident_facts(ids)
    # Read once for the request: the on-call column, the pilot verdict and readiness's checks.
    rotations = rotations_with_versions(ids)
    coverage = coverage_facts(ids, now, rotations)
    conditions = condition_standings(ids)
    readiness = readiness_summaries(programmes, now, rotations)
    reviews = review_standings(ids, now)
    verdicts = pilot_verdicts(programmes, now, rotations)
    overdue = Counter(
        action.programme_id for action in overdue_actions(now.date()) if action.programme_id
    )
    rows = []
    for programme in programmes:
        scorecard = scorecards[programme.pk]
        status = scorecard.status
        headline_status = rules.headline_status(
            has_headline=status is not None,
            stale=status is None or status.stale,
            computed=status.rag if status else rules.GREEN,
            override=status.rag_override if status else "",
        )
        facts = rules.RiskFacts(
            status=headline_status,
            stage=programme.stage,
            open_serious_incidents=incidents[programme.pk].open_serious,
            serious_report_owed=incidents[programme.pk].report_due_at is not None,
            oncall_gap=programme.stage != Stage.PAUSED and coverage[programme.pk].has_gap,
            over_envelope=scorecard.economics.breached,
            tripped_undecided=sum(c.needs_decision for c in conditions[programme.pk]),
            signoff_lapsed=readiness[programme.pk].lapsed,
            signoff_reason=readiness[programme.pk].lapsed_because,
            missed_reviews=reviews[programme.pk].missed_streak,
        )
        rows.append(
            Row(
                programme=programme,
                scorecard=scorecard,
                incidents=incidents[programme.pk],
                coverage=coverage[programme.pk],
                conditions=conditions[programme.pk],
                readiness=readiness[programme.pk],
                reviews=reviews[programme.pk],
                overdue_actions=overdue[programme.pk],
                status=headline_status,
                reasons=rules.risk_reasons(facts),
                buckets=rules.buckets_of(
                    status=headline_status,
                    tripped=facts.tripped_undecided > 0,
                    pilot=verdicts[programme.pk].is_pilot,
                ),
            )
        )
    rows.sort(key=lambda row: rules.risk_key(row.reasons, row.programme.name))
    return rows


def bucket_counts(rows: list[Row]) -> dict[str, int]:
    """How many rows fall in each bucket of ``rules.BUCKETS`` (zeros included)."""
    counts = Counter(bucket for row in rows for bucket in row.buckets)
    return {key: counts.get(key, 0) for key, _ in rules.BUCKETS}


@dataclass(frozen=True)
class RollupRow:
    business_unit: str
    counts: dict[str, int]


def business_unit_rollup(rows: list[Row]) -> list[RollupRow]:
    """Business unit × status counts, business units by name (none last)."""
    units: dict[str, Counter[str]] = {}
    for row in rows:
        units.setdefault(row.programme.business_unit, Counter())[row.status] += 1
    ordered = sorted(units, key=lambda unit: (unit == "", unit.casefold()))
    return [
        RollupRow(unit, {status: units[unit].get(status, 0) for status in rules.STATUS_RANK})
        for unit in ordered
    ]
