"""The dashboard's pure rules: a headline's status, the risk order and the buckets."""

from dataclasses import dataclass

NOT_REPORTED = "not_reported"
RED, AMBER, GREEN = "red", "amber", "green"
# Worse first: an owner's override never makes a programme look better than the data says.
STATUS_RANK = {RED: 0, NOT_REPORTED: 1, AMBER: 2, GREEN: 3}
STATUS_LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green", NOT_REPORTED: "Not reported"}
# The readiness column's words for the current round's sign-offs
# (``governance.selectors.readiness_many.ReadinessSummary.signoff``).
SIGNOFF_LABELS = {
    "none": "no review open",
    "pending": "sign-offs pending",
    "valid": "sign-off valid",
    "reattest": "re-attest",
    "expired": "sign-off expired",
}


def headline_status(*, has_headline: bool, stale: bool, computed: str, override: str) -> str:
    """Red, amber or green, the worse of the computed RAG and the owner's override; "not
    reported" when there is no headline or it is stale, so a silent programme never looks
    green."""
    if not has_headline or stale:
        return NOT_REPORTED
    return min((computed, override or computed), key=STATUS_RANK.__getitem__)


@dataclass(frozen=True)
class RiskFacts:
    """The plain facts the risk order reads about one programme."""

    status: str
    stage: str
    open_serious_incidents: int
    serious_report_owed: bool
    oncall_gap: bool
    over_envelope: bool
    tripped_undecided: int = 0
    signoff_lapsed: bool = False
    # Why the sign-off no longer holds, in the readiness review's words.
    signoff_reason: str = ""
    missed_reviews: int = 0


@dataclass(frozen=True)
class Reason:
    """Why a programme sits where it does: its place in ``RISK_ORDER`` and words for a leader."""

    rank: int
    key: str
    text: str


# The risk order, worst first. A programme's place is its worst reason; ties go to the programme
# with more reasons, then by name.
RISK_ORDER = (
    "tripped",
    "signoff_lapsed",
    "serious_incident",
    "red",
    "not_reported",
    "missed_reviews",
    "oncall_gap",
    "over_envelope",
    "amber",
)
RANK = {key: rank for rank, key in enumerate(RISK_ORDER)}
# A programme with no reason at all sorts after every programme with one.
NO_RISK = len(RISK_ORDER)


def risk_reasons(facts: RiskFacts) -> list[Reason]:
    """Every reason in ``RISK_ORDER`` that holds for the programme, worst first."""
    found: list[tuple[str, str]] = []
    if facts.tripped_undecided:
        found.append(("tripped", _count(facts.tripped_undecided, "stop condition") + " tripped"))
    if facts.signoff_lapsed and facts.stage == "production":
        why = f": {facts.signoff_reason}" if facts.signoff_reason else ""
        found.append(("signoff_lapsed", f"in production without a valid sign-off{why}"))
    if facts.open_serious_incidents or facts.serious_report_owed:
        words = []
        if facts.open_serious_incidents:
            words.append(_count(facts.open_serious_incidents, "open SEV1/SEV2 incident"))
        if facts.serious_report_owed:
            words.append("a serious-incident report owed")
        found.append(("serious_incident", ", ".join(words)))
    if facts.status == RED:
        found.append(("red", "headline red"))
    if facts.status == NOT_REPORTED:
        found.append(("not_reported", "headline not reported"))
    if facts.missed_reviews:
        found.append(
            ("missed_reviews", _count(facts.missed_reviews, "weekly review") + " missed in a row")
        )
    if facts.oncall_gap:
        found.append(("oncall_gap", "on-call gap in the next 7 days"))
    if facts.over_envelope:
        found.append(("over_envelope", "over the cost envelope"))
    if facts.status == AMBER:
        found.append(("amber", "headline amber"))
    return [Reason(RANK[key], key, text) for key, text in found]


def risk_key(reasons: list[Reason], name: str) -> tuple[int, int, str]:
    """The sort key of the default order: worst reason, then more reasons, then name."""
    worst = reasons[0].rank if reasons else NO_RISK
    return (worst, -len(reasons), name.casefold())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# The buckets counted across the top of the dashboard, each a filter.
BUCKETS = (
    ("tripped", "Tripped"),
    (RED, "Red"),
    (AMBER, "Amber"),
    (GREEN, "Green"),
    (NOT_REPORTED, "Not reported"),
    ("pilots", "Pilots"),
)


def buckets_of(*, status: str, tripped: bool, pilot: bool) -> set[str]:
    """The buckets a programme counts in: its status, and tripped and pilots when they hold."""
    found = {status}
    if tripped:
        found.add("tripped")
    if pilot:
        found.add("pilots")
    return found
