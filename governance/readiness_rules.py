"""Readiness rules as plain functions of plain values: which role owns each pillar, the default
criteria, how long waivers and sign-offs last, when reminders fall due."""

import datetime as dt
from dataclasses import dataclass

from .models import CriterionStatus, Pillar, SignoffRole

# The statuses people set; a criterion is waived only by a waiver.
OPEN_STATUSES = [c for c in CriterionStatus.choices if c[0] != CriterionStatus.WAIVED]

# A waiver lasts this long unless it says otherwise, and never longer.
WAIVER_MAX_DAYS = 183
WAIVER_WARNING = dt.timedelta(days=14)
# A sign-off lapses this long after it was given (or last re-attested).
SIGNOFF_VALID_MONTHS = 12
# Re-attestation is asked this long before a sign-off lapses, then again a week later.
REATTEST_FIRST_ASK = dt.timedelta(days=30)
REATTEST_SECOND_ASK = dt.timedelta(days=23)
# A pending sign-off reminds its signer every this many working days; after this many
# reminders the sponsor hears of it.
PENDING_REMINDER_EVERY = 2
PENDING_REMINDERS_BEFORE_SPONSOR = 2

# The programme owner role whose person approves a waiver of each pillar's criteria.
PILLAR_OWNER_ROLE: dict[str, tuple[str, str]] = {
    Pillar.EVALUATION: ("technical_owner", "technical owner"),
    Pillar.RED_TEAM: ("security_owner", "security owner"),
    Pillar.OBSERVABILITY: ("oncall_lead", "on-call lead"),
    Pillar.GOVERNANCE: ("risk_owner", "risk & compliance owner"),
    Pillar.OPERATING_MODEL: ("programme_owner", "programme owner"),
    Pillar.UNIT_ECONOMICS: ("executive_sponsor", "executive sponsor"),
}

# The programme owner role each review role is signed by unless the review names someone else.
SIGNER_ROLE: dict[str, tuple[str, str]] = {
    SignoffRole.DELIVERY: ("delivery_lead", "delivery lead"),
    SignoffRole.SECURITY: ("security_owner", "security owner"),
    SignoffRole.RISK: ("risk_owner", "risk & compliance owner"),
    SignoffRole.PRODUCT: ("product_owner", "product owner"),
}


@dataclass(frozen=True)
class DefaultCriterion:
    pillar: str
    title: str
    evidence_check: str = ""


# What the seed names for each pillar; ``evidence_check`` names what Keel checks itself.
DEFAULT_CRITERIA: tuple[DefaultCriterion, ...] = (
    DefaultCriterion(Pillar.EVALUATION, "Golden set of test cases kept with the code"),
    DefaultCriterion(Pillar.EVALUATION, "Automated scoring on every release"),
    DefaultCriterion(
        Pillar.EVALUATION,
        "Headline metric with baseline and target agreed by leadership",
        "headline_agreed",
    ),
    DefaultCriterion(
        Pillar.EVALUATION, "Headline measured within its staleness window", "headline_fresh"
    ),
    DefaultCriterion(Pillar.EVALUATION, "Regression alerting live", "regression_alerting"),
    DefaultCriterion(Pillar.RED_TEAM, "Adversarial probes run"),
    DefaultCriterion(Pillar.RED_TEAM, "Prompt-injection tests pass"),
    DefaultCriterion(Pillar.RED_TEAM, "Jailbreak tests pass"),
    DefaultCriterion(Pillar.OBSERVABILITY, "Structured logs"),
    DefaultCriterion(Pillar.OBSERVABILITY, "Dashboards"),
    DefaultCriterion(Pillar.OBSERVABILITY, "Paged alerts"),
    DefaultCriterion(Pillar.OBSERVABILITY, "At least one runbook", "runbook"),
    DefaultCriterion(
        Pillar.OBSERVABILITY, "On-call rotation of 2 or more with no gap in 14 days", "oncall"
    ),
    DefaultCriterion(Pillar.GOVERNANCE, "PII redaction"),
    DefaultCriterion(Pillar.GOVERNANCE, "Policy as code"),
    DefaultCriterion(Pillar.GOVERNANCE, "Audit trail of decisions and changes"),
    DefaultCriterion(Pillar.GOVERNANCE, "Provenance of models and data"),
    DefaultCriterion(
        Pillar.GOVERNANCE, "Serious-incident reporting roles named", "reporting_roles"
    ),
    DefaultCriterion(
        Pillar.GOVERNANCE, "At least one approved stop condition with a rule", "stop_condition"
    ),
    DefaultCriterion(Pillar.OPERATING_MODEL, "Every owner role named", "owners_named"),
    DefaultCriterion(
        Pillar.OPERATING_MODEL, "A weekly review held in the last 8 days", "weekly_review"
    ),
    DefaultCriterion(Pillar.OPERATING_MODEL, "Monthly regression work scheduled"),
    DefaultCriterion(
        Pillar.UNIT_ECONOMICS, "Cost envelope set and cost per task measured", "cost_envelope"
    ),
    DefaultCriterion(Pillar.UNIT_ECONOMICS, "Volume projection"),
)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` later (the month's last day where it is shorter)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def signoff_expiry(attested_at: dt.datetime) -> dt.datetime:
    return add_months(attested_at, SIGNOFF_VALID_MONTHS)


def waiver_refusal(expires_on: dt.date, today: dt.date) -> str | None:
    """Why a waiver may not run until ``expires_on``, or None."""
    if expires_on <= today:
        return "A waiver must run until a date after today."
    if expires_on > today + dt.timedelta(days=WAIVER_MAX_DAYS):
        latest = today + dt.timedelta(days=WAIVER_MAX_DAYS)
        return (
            f"A waiver lasts at most {WAIVER_MAX_DAYS} days: until {latest:%Y-%m-%d} at the latest."
        )
    return None


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days (Monday to Friday) there are after ``start`` up to ``end``."""
    if end <= start:
        return 0
    whole_weeks, rest = divmod((end - start).days, 7)
    count = whole_weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=whole_weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def pending_reminder_number(working_days: int) -> int:
    """Which reminder of a pending sign-off is due after ``working_days`` (0: none yet)."""
    return working_days // PENDING_REMINDER_EVERY
