"""What the leadership dashboard reads of governance besides readiness and stop conditions: each
programme's weekly-review standing, and governance's part of "what changed since": stop-condition
decisions, reviews held and missed, sign-offs given and expired. For any number of programmes in
a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q

from programmes.any_of import AnyOf
from programmes.plain_rows import plain_rows
from programmes.times import LONG, format_moment

from ..models import (
    Review,
    ReviewStatus,
    SignOff,
    SignOffDecision,
    StopConditionDecision,
    StopConditionTrip,
    StopConditionVersion,
)
from ..review_rules import missed_in_a_row
from ..review_stop_rule import load_past_reviews


@dataclass(frozen=True)
class ReviewStanding:
    """A programme's weekly reviews as the dashboard shows them."""

    # The latest review that is over (held or missed; a cancelled one is skipped), if any.
    last_status: str
    last_scheduled_for: dt.datetime | None
    # Reviews missed in a row, counting back from the latest (``review_rules.missed_in_a_row``).
    missed_streak: int


def review_standings(programme_ids: list[int], now: dt.datetime) -> dict[int, ReviewStanding]:
    """Each programme's last review and missed streak at ``now``, by id. One query."""
    past = load_past_reviews(programme_ids, now)
    standings = {}
    for pk in programme_ids:
        reviews = past.get(pk, [])
        last = next((r for r in reviews if r[1] != ReviewStatus.CANCELLED), None)
        standings[pk] = ReviewStanding(
            last_status=last[1] if last else "",
            last_scheduled_for=last[2] if last else None,
            missed_streak=missed_in_a_row(status for _, status, _ in reviews),
        )
    return standings


@dataclass(frozen=True)
class GovernanceChange:
    programme_id: int
    at: dt.datetime
    # "trip", "decision", "review" or "signoff".
    kind: str
    text: str


def trips_since(programme_ids: list[int], since: dt.datetime) -> list[GovernanceChange]:
    """The stop conditions of these programmes whose open trip is from ``since`` on, by
    condition, as ``stop_conditions.condition_standings`` has them, worded with the text in
    force (else the one pending approval): two queries of plain rows, only of those conditions."""
    trips = (
        StopConditionTrip.objects.filter(
            AnyOf(F("condition__programme_id"), programme_ids),
            decided_at__isnull=True,
            tripped_at__gte=since,
        )
        .order_by("condition_id")
        .values_list("condition_id", "condition__programme_id", "tripped_at")
    )
    found = plain_rows(trips)
    versions = (
        StopConditionVersion.objects.filter(AnyOf(F("condition_id"), [row[0] for row in found]))
        .order_by("condition_id", "-number")
        .values_list("condition_id", "text", "approved_at")
    )
    newest: dict[int, str] = {}
    in_force: dict[int, str] = {}
    for condition_id, text, approved_at in plain_rows(versions):
        newest.setdefault(condition_id, text)
        if approved_at is not None:
            in_force.setdefault(condition_id, text)
    return [
        GovernanceChange(
            programme_id,
            tripped_at,
            "trip",
            f"stop condition tripped: {in_force.get(condition_id, newest.get(condition_id, ''))}",
        )
        for condition_id, programme_id, tripped_at in found
    ]


def governance_changes(
    programme_ids: list[int], since: dt.datetime, now: dt.datetime
) -> list[GovernanceChange]:
    """Between ``since`` and ``now``: stop-condition decisions, weekly reviews held and missed,
    readiness sign-offs given and expired. Three queries, each taking the ids as one array."""
    changes = []
    decisions = StopConditionDecision.objects.filter(
        AnyOf(F("condition__programme_id"), programme_ids),
        decided_at__gte=since,
        decided_at__lte=now,
    ).select_related("condition", "decided_by")
    for decision in decisions:
        changes.append(
            GovernanceChange(
                decision.condition.programme_id,
                decision.decided_at,
                "decision",
                f"stop condition decided: {decision.get_kind_display().lower()} "
                f"({decision.decided_by.name}): {decision.reason}",
            )
        )
    reviews = Review.objects.filter(
        AnyOf(F("programme_id"), programme_ids),
        closed_at__gte=since,
        closed_at__lte=now,
        status__in=(ReviewStatus.HELD, ReviewStatus.MISSED),
    ).values_list(
        "programme_id", "closed_at", "missed_after", "status", "scheduled_for", "timezone"
    )
    for pk, closed_at, missed_after, status, scheduled_for, zone in plain_rows(reviews):
        # What ``Review.when`` shows.
        when = format_moment(scheduled_for, zone, style=LONG)
        held = status == ReviewStatus.HELD
        changes.append(
            GovernanceChange(
                pk,
                closed_at or missed_after,
                "review",
                f"weekly review of {when} {'held' if held else 'missed'}",
            )
        )
    signoffs = SignOff.objects.filter(
        AnyOf(F("review__programme_id"), programme_ids),
        Q(attested_at__gte=since) | Q(expires_at__gte=since, expires_at__lte=now),
        decision=SignOffDecision.APPROVED,
    ).select_related("review", "signer")
    for signoff in signoffs:
        role, signer = signoff.get_role_display(), signoff.signer.name
        pk = signoff.review.programme_id
        if signoff.attested_at is not None and since <= signoff.attested_at <= now:
            changes.append(
                GovernanceChange(
                    pk, signoff.attested_at, "signoff", f"{role} signed off by {signer}"
                )
            )
        if signoff.expires_at is not None and since <= signoff.expires_at <= now:
            changes.append(
                GovernanceChange(
                    pk, signoff.expires_at, "signoff", f"{role}'s sign-off by {signer} expired"
                )
            )
    return changes
