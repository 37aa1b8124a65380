"""Reads about stop conditions, scoped by the programmes a user may see. ``condition_standings``
is the one read of where every condition stands and how far it is from tripping, for one
programme or a whole portfolio at once: the programme page, the API, the weekly review's agenda
and the dashboard all read it."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from programmes.any_of import AnyOf
from programmes.models import Programme
from programmes.rules import Access
from programmes.selectors import (
    get_programme_for_user,
    programme_access,
    visible_programme,
    visible_programmes,
)

from ..models import (
    StopCondition,
    StopConditionDecision,
    StopConditionTrip,
    StopConditionVersion,
    StopPolicy,
)


def with_details(conditions: QuerySet[StopCondition]) -> QuerySet[StopCondition]:
    """Conditions with their versions, open trip and programme, in a fixed number of queries."""
    return conditions.select_related("programme").prefetch_related(
        Prefetch(
            "versions",
            queryset=StopConditionVersion.objects.select_related(
                "written_by", "approved_by"
            ).order_by("-number"),
            to_attr="all_versions",
        ),
        Prefetch(
            "trips",
            queryset=StopConditionTrip.objects.filter(decided_at__isnull=True),
            to_attr="open_trips",
        ),
    )


def programme_conditions(programme: Programme) -> QuerySet[StopCondition]:
    return with_details(StopCondition.objects.filter(programme=programme)).order_by("id")


def programme_policy(programme: Programme) -> StopPolicy | None:
    return (
        StopPolicy.objects.filter(programme=programme)
        .select_related("author")
        .prefetch_related("approvers")
        .first()
    )


def get_condition_for_user(
    user: Any, condition_id: int, slug: str | None = None
) -> tuple[StopCondition, Access]:
    """The condition and the user's access to its programme; 404 when they may not see it (or
    it is not of the programme ``slug`` names)."""
    visible = visible_programmes(user)
    if slug is not None:
        programme, access = get_programme_for_user(user, slug)
        visible = visible.filter(pk=programme.pk)
    condition = (
        with_details(StopCondition.objects.filter(programme__in=visible, pk=condition_id))
        .select_related("programme__executive_sponsor", "programme__programme_owner")
        .first()
    )
    if condition is None:
        raise Http404("No such stop condition.")
    if slug is None:
        access = programme_access(user, visible_programme(user, condition.programme_id))
    return condition, access


def in_force(condition: StopCondition) -> StopConditionVersion | None:
    """The condition's latest approved version (from ``with_details``)."""
    return next((v for v in condition.all_versions if v.approved_at is not None), None)  # type: ignore[attr-defined]


def pending(condition: StopCondition) -> StopConditionVersion | None:
    """The newest version when it waits for approval (from ``with_details``)."""
    versions = condition.all_versions  # type: ignore[attr-defined]
    return versions[0] if versions and versions[0].approved_at is None else None


def open_trip(condition: StopCondition) -> StopConditionTrip | None:
    trips = condition.open_trips  # type: ignore[attr-defined]
    return trips[0] if trips else None


def condition_trips(condition: StopCondition) -> QuerySet[StopConditionTrip]:
    return condition.trips.select_related("version").order_by("-tripped_at", "-id")


def condition_decisions(condition: StopCondition) -> QuerySet[StopConditionDecision]:
    return condition.decisions.select_related(
        "decided_by", "recorded_by", "transition", "trip"
    ).order_by("-decided_at", "-id")


def condition_versions(condition: StopCondition) -> QuerySet[StopConditionVersion]:
    return condition.versions.select_related("written_by", "approved_by").order_by("-number")


@dataclass(frozen=True)
class ConditionStanding:
    """Where one condition stands, as stored by its latest evaluation."""

    condition_id: int
    programme_id: int
    text: str
    consequence: str
    state: str
    reading: str
    distance: str
    distance_fraction: Decimal | None
    evaluated_at: dt.datetime | None
    tripped_at: dt.datetime | None
    # The newest version waits for approval (the text above is the one in force, if any).
    awaiting_approval: bool

    @property
    def needs_decision(self) -> bool:
        return self.state == "tripped"


def condition_standings(programme_ids: list[int]) -> dict[int, list[ConditionStanding]]:
    """Each programme's conditions (oldest first) with state and distance to trip, for any
    number of programmes in three queries. The ids are the caller's to scope (take them from
    ``visible_programmes``)."""
    standings: dict[int, list[ConditionStanding]] = {pk: [] for pk in programme_ids}
    conditions = with_details(StopCondition.objects.filter(AnyOf(F("programme_id"), programme_ids)))
    for condition in conditions.order_by("programme_id", "id"):
        version = in_force(condition) or pending(condition)
        trip = open_trip(condition)
        standings[condition.programme_id].append(
            ConditionStanding(
                condition_id=condition.pk,
                programme_id=condition.programme_id,
                text=version.text if version else "",
                consequence=version.consequence if version else "",
                state=condition.state,
                reading=condition.reading,
                distance=condition.distance,
                distance_fraction=condition.distance_fraction,
                evaluated_at=condition.evaluated_at,
                tripped_at=trip.tripped_at if trip else None,
                awaiting_approval=pending(condition) is not None,
            )
        )
    return standings
