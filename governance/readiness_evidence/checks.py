"""Each automatic readiness check: a plain function of one programme's facts, answering whether
the criterion holds and the fact it read."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from programmes.numbers import plain_number

ROTATION_MIN_PEOPLE = 2
ROTATION_HORIZON = dt.timedelta(days=14)
API_MEASUREMENT_WINDOW = dt.timedelta(days=14)
# A weekly review held this recently shows the programme is run, not only built.
REVIEW_WINDOW = dt.timedelta(days=8)


@dataclass(frozen=True)
class Evidence:
    holds: bool
    fact: str


@dataclass(frozen=True)
class RotationFacts:
    name: str
    # The fewest members the rotation has at any time in the horizon.
    fewest_people: int
    first_gap: dt.datetime | None


@dataclass(frozen=True)
class HeadlineFacts:
    name: str
    baseline: Decimal
    target: Decimal
    agreed_on: dt.date | None
    agreed_by: str | None
    agreed_by_leadership: bool
    last_measured_at: dt.datetime | None
    staleness_days: int
    tolerance: Decimal
    last_api_measurement_at: dt.datetime | None


@dataclass(frozen=True)
class ProgrammeFacts:
    now: dt.datetime
    rotations: tuple[RotationFacts, ...]
    headline: HeadlineFacts | None
    runbooks: int
    missing_owner_roles: tuple[str, ...]
    cost_envelope: Decimal | None
    cost_per_task_measured_at: dt.datetime | None
    risk_owner: str | None
    # When the latest weekly review was held, and how many stop conditions have an approved
    # version in force with a rule Keel evaluates.
    last_review_held_at: dt.datetime | None = None
    ruled_stop_conditions: int = 0


def oncall(facts: ProgrammeFacts) -> Evidence:
    if not facts.rotations:
        return Evidence(False, "No on-call rotation.")
    for rotation in facts.rotations:
        if rotation.fewest_people >= ROTATION_MIN_PEOPLE and rotation.first_gap is None:
            return Evidence(
                True,
                f"{rotation.name}: {rotation.fewest_people} people, nobody missing in the next "
                f"{ROTATION_HORIZON.days} days.",
            )
    worst = facts.rotations[0]
    if worst.fewest_people < ROTATION_MIN_PEOPLE:
        return Evidence(False, f"{worst.name} has {worst.fewest_people} person(s); it needs 2.")
    return Evidence(
        False, f"{worst.name} has nobody on call from {worst.first_gap:%Y-%m-%d %H:%M} UTC."
    )


def headline_agreed(facts: ProgrammeFacts) -> Evidence:
    headline = facts.headline
    if headline is None:
        return Evidence(False, "No headline metric.")
    numbers = (
        f"{headline.name}: baseline {plain_number(headline.baseline)}, "
        f"target {plain_number(headline.target)}"
    )
    if headline.agreed_on is None or headline.agreed_by is None:
        return Evidence(False, f"{numbers}, not agreed.")
    if not headline.agreed_by_leadership:
        return Evidence(
            False, f"{numbers}, agreed by {headline.agreed_by}, who is not in leadership."
        )
    return Evidence(
        True, f"{numbers}, agreed by {headline.agreed_by} on {headline.agreed_on:%Y-%m-%d}."
    )


def headline_fresh(facts: ProgrammeFacts) -> Evidence:
    headline = facts.headline
    if headline is None:
        return Evidence(False, "No headline metric.")
    if headline.last_measured_at is None:
        return Evidence(False, f"{headline.name} has never been measured.")
    last = f"{headline.name} last measured {headline.last_measured_at:%Y-%m-%d %H:%M} UTC"
    if facts.now - headline.last_measured_at > dt.timedelta(days=headline.staleness_days):
        return Evidence(False, f"{last}: stale after {headline.staleness_days} days.")
    return Evidence(True, f"{last}, within {headline.staleness_days} days.")


def regression_alerting(facts: ProgrammeFacts) -> Evidence:
    headline = facts.headline
    if headline is None:
        return Evidence(False, "No headline metric.")
    if headline.tolerance <= 0:
        return Evidence(False, f"{headline.name} has no regression tolerance set.")
    arrived = headline.last_api_measurement_at
    if arrived is None or facts.now - arrived > API_MEASUREMENT_WINDOW:
        return Evidence(
            False,
            f"Tolerance {plain_number(headline.tolerance)}, but no measurement arrived through "
            f"the API in the last {API_MEASUREMENT_WINDOW.days} days.",
        )
    return Evidence(
        True,
        f"Tolerance {plain_number(headline.tolerance)}; last measurement through the API "
        f"{arrived:%Y-%m-%d %H:%M} UTC.",
    )


def runbook(facts: ProgrammeFacts) -> Evidence:
    if facts.runbooks == 0:
        return Evidence(False, "No runbook.")
    return Evidence(True, f"{facts.runbooks} runbook(s).")


def owners_named(facts: ProgrammeFacts) -> Evidence:
    if facts.missing_owner_roles:
        return Evidence(False, f"Nobody named as: {', '.join(facts.missing_owner_roles)}.")
    return Evidence(True, "All eight owner roles are named.")


def cost_envelope(facts: ProgrammeFacts) -> Evidence:
    if facts.cost_envelope is None:
        return Evidence(False, "No monthly cost envelope.")
    envelope = f"Envelope {plain_number(facts.cost_envelope)} a month"
    if facts.cost_per_task_measured_at is None:
        return Evidence(False, f"{envelope}; cost per task never measured.")
    return Evidence(
        True, f"{envelope}; cost per task measured {facts.cost_per_task_measured_at:%Y-%m-%d}."
    )


def reporting_roles(facts: ProgrammeFacts) -> Evidence:
    if facts.risk_owner is None:
        return Evidence(False, "No risk & compliance owner to report serious incidents.")
    return Evidence(True, f"Serious incidents are reported by {facts.risk_owner} (risk owner).")


def weekly_review(facts: ProgrammeFacts) -> Evidence:
    held = facts.last_review_held_at
    if held is None:
        return Evidence(False, "No weekly review has been held.")
    last = f"Last weekly review held {held:%Y-%m-%d %H:%M} UTC"
    if facts.now - held > REVIEW_WINDOW:
        return Evidence(False, f"{last}: none in the last {REVIEW_WINDOW.days} days.")
    return Evidence(True, f"{last}, within {REVIEW_WINDOW.days} days.")


def stop_condition(facts: ProgrammeFacts) -> Evidence:
    count = facts.ruled_stop_conditions
    if count == 0:
        return Evidence(False, "No approved stop condition with a rule Keel evaluates.")
    return Evidence(True, f"{count} approved stop condition(s) with a rule Keel evaluates.")


# Each check by the key a criterion names in ``evidence_check``, with its label.
CHECKS: dict[str, tuple[str, Callable[[ProgrammeFacts], Evidence]]] = {
    "oncall": ("On-call rotation of 2 or more, no gap in 14 days", oncall),
    "headline_agreed": ("Headline baseline and target agreed by leadership", headline_agreed),
    "headline_fresh": ("Headline measured within its staleness window", headline_fresh),
    "regression_alerting": ("Regression alerting live", regression_alerting),
    "runbook": ("At least one runbook", runbook),
    "owners_named": ("Every owner role named", owners_named),
    "cost_envelope": ("Cost envelope set and cost per task measured", cost_envelope),
    "reporting_roles": ("Serious-incident reporting roles named", reporting_roles),
    "weekly_review": ("A weekly review held in the last 8 days", weekly_review),
    "stop_condition": ("At least one approved stop condition with a rule", stop_condition),
}


def judge(check: str, facts: ProgrammeFacts) -> Evidence:
    return CHECKS[check][1](facts)
