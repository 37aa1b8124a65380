"""The review series: ``REVIEWS_AHEAD`` reviews kept scheduled ahead at each programme's
cadence, for one programme when it is saved and for every programme short of them on the tick,
with one rule and a fixed number of queries per thousand programmes."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.db import transaction

from programmes.models import Programme

from .. import review_rules
from ..models import OPEN_REVIEW_STATUSES, Review, ReviewStatus

# Programmes whose series one transaction plans: their rows stay locked until it commits.
PLAN_BATCH = 1000
TIMING_FIELDS = ["scheduled_for", "timezone", "missed_after", "remind_at", "reminded_at"]


# Ten thousand programmes share a few hundred cadences: each review time and each series is
# worked out once per tick, not once per programme.
@lru_cache(maxsize=4096)
def _timing_of(scheduled_for: dt.datetime, zone: str) -> tuple[dt.datetime, dt.datetime]:
    return (
        review_rules.end_of_local_day(scheduled_for, zone),
        review_rules.reminder_at(scheduled_for, zone),
    )


@lru_cache(maxsize=1024)
def _series_times(
    now: dt.datetime, weekday: int, at: dt.time, zone: str, count: int
) -> tuple[dt.datetime, ...]:
    return tuple(review_rules.series_times(now, weekday=weekday, at=at, timezone=zone, count=count))


def timing(scheduled_for: dt.datetime, zone: str) -> dict[str, Any]:
    """A review's times at ``scheduled_for`` in ``zone``: when its day ends, when its owners
    hear of it (not yet)."""
    missed_after, remind_at = _timing_of(scheduled_for, zone)
    return {
        "scheduled_for": scheduled_for,
        "timezone": zone,
        "missed_after": missed_after,
        "remind_at": remind_at,
        "reminded_at": None,
    }


def _plan_one(
    programme_id: int, cadence: Mapping[str, Any], future: list[Review], now: dt.datetime
) -> tuple[list[Review], list[Review], list[Review]]:
    """What keeps one programme's series at its cadence: the reviews to move (changed in
    place), to drop, and to create (unsaved). Future reviews not yet started (nor moved by hand)
    follow the cadence; the others keep their time."""
    zone = cadence["review_timezone"]
    moved = {r.scheduled_for for r in future if r.moved_from is not None}
    following = [r for r in future if r.moved_from is None and r.status == ReviewStatus.SCHEDULED]
    wanted = review_rules.REVIEWS_AHEAD - (len(future) - len(following))
    slots = [
        moment
        for moment in _series_times(
            now,
            cadence["review_weekday"],
            cadence["review_time"],
            zone,
            review_rules.REVIEWS_AHEAD + len(moved),
        )
        if moment not in moved
    ][: max(wanted, 0)]
    changed = []
    for review, slot in zip(following, slots, strict=False):
        if review.scheduled_for != slot or review.timezone != zone:
            for name, value in timing(slot, zone).items():
                setattr(review, name, value)
            changed.append(review)
    # The cadence now fits fewer reviews before the ones moved by hand: the extra go.
    dropped = following[len(slots) :]
    created = [
        Review(programme_id=programme_id, **timing(slot, zone)) for slot in slots[len(following) :]
    ]
    return changed, dropped, created


@transaction.atomic
def _plan_batch(programme_ids: list[int], now: dt.datetime) -> int:
    # Locked, and read afresh: the cadence as saved, whatever the caller's copy holds; a save
    # of the programme in progress is waited for.
    cadences = {
        row["pk"]: row
        for row in Programme.objects.select_for_update()
        .filter(pk__in=programme_ids)
        .order_by("pk")
        .values("pk", "review_weekday", "review_time", "review_timezone")
    }
    future: dict[int, list[Review]] = defaultdict(list)
    for review in Review.objects.filter(
        programme_id__in=list(cadences), status__in=OPEN_REVIEW_STATUSES, scheduled_for__gt=now
    ).order_by("programme_id", "scheduled_for"):
        future[review.programme_id].append(review)
    changed: list[Review] = []
    dropped: list[int] = []
    created: list[Review] = []
    for programme_id, cadence in cadences.items():
        moves, drops, news = _plan_one(programme_id, cadence, future[programme_id], now)
        changed.extend(moves)
        dropped.extend(review.pk for review in drops)
        created.extend(news)
    # One at a time and in order, as a cadence change moves them (rare: each one its query).
    for review in changed:
        review.save(update_fields=TIMING_FIELDS)
    if dropped:
        Review.objects.filter(pk__in=dropped).delete()
    Review.objects.bulk_create(created, batch_size=PLAN_BATCH)
    return len(changed) + len(dropped) + len(created)


def plan_series_of(programme_ids: Iterable[int], now: dt.datetime) -> int:
    """Keep ``REVIEWS_AHEAD`` reviews scheduled ahead at each programme's cadence: future
    reviews not yet started (nor moved by hand) follow a changed cadence, past ones never change.
    Returns how many reviews it created, moved or dropped; running it again changes nothing."""
    ids = sorted(set(programme_ids))
    return sum(
        _plan_batch(ids[start : start + PLAN_BATCH], now)
        for start in range(0, len(ids), PLAN_BATCH)
    )


def plan_series(programme: Programme, now: dt.datetime) -> int:
    """``plan_series_of`` for one programme (when it is saved)."""
    return plan_series_of([programme.pk], now)
