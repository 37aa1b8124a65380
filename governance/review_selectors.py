"""Reads about weekly reviews, always through the programmes a user may see."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from programmes.models import OWNER_ROLES, Person, Programme
from programmes.registry.overdue_actions import OverdueAction
from programmes.rules import Access
from programmes.selectors import (
    get_programme_for_user,
    programme_access,
    visible_programme,
    visible_programmes,
)

from . import review_rules
from .models import ActionItem, ActionStatus, Attendance, Review, ReviewStatus


def programme_reviews(programme: Programme) -> QuerySet[Review]:
    return programme.reviews.select_related("programme")


def visible_reviews(user: Any) -> QuerySet[Review]:
    return Review.objects.filter(programme__in=visible_programmes(user)).select_related("programme")


def get_review_for_user(user: Any, slug: str, review_id: int | str) -> tuple[Review, Access]:
    """The review and the user's access to its programme; 404 when they may not see it."""
    programme, access = get_programme_for_user(user, slug)
    review = programme_reviews(programme).filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    review.programme = programme
    return review, access


def get_visible_review(user: Any, review_id: int | str) -> tuple[Review, Access]:
    """The review by id alone (the API), with the user's access; 404 when they may not see it."""
    review = visible_reviews(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    return get_review_for_user(user, review.programme.slug, review.pk)


def get_visible_action(user: Any, action_id: int | str) -> tuple[ActionItem, Access]:
    action = (
        ActionItem.objects.filter(programme__in=visible_programmes(user), pk=action_id)
        .select_related("owner", "raised_in", "programme")
        .first()
    )
    if action is None:
        raise Http404("No such action item.")
    programme = visible_programme(user, action.programme_id)
    action.programme = programme
    return action, programme_access(user, programme)


def programme_actions(programme: Programme) -> QuerySet[ActionItem]:
    return programme.review_actions.select_related("owner", "raised_in", "programme")


def review_actions(review: Review) -> QuerySet[ActionItem]:
    return review.actions.select_related("owner", "raised_in", "programme").order_by("id")


@dataclass(frozen=True)
class Seat:
    """A named owner's seat at the review, and whether they were marked present."""

    role: str
    person: Person
    present: bool | None


def attendance_of(review: Review, programme: Programme) -> tuple[list[Seat], list[Attendance]]:
    """Each named owner (a person once, under their first role) with their mark, and the
    review's guests and other people marked. One query (the owners come with the programme)."""
    marks = list(review.attendance.select_related("person"))
    by_person = {m.person_id: m for m in marks if m.person_id is not None}
    seats: list[Seat] = []
    seen: set[int] = set()
    for field, label in OWNER_ROLES:
        person = getattr(programme, field)
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        mark = by_person.get(person.pk)
        seats.append(Seat(label, person, None if mark is None else mark.present))
    others = [m for m in marks if m.person_id is None or m.person_id not in seen]
    return seats, others


@dataclass(frozen=True)
class ReviewsOverview:
    upcoming: list[Review]
    held: list[Review]
    missed: list[Review]
    cancelled: list[Review]
    rates: review_rules.ReviewRates


def reviews_overview(programme: Programme, now: dt.datetime, *, size: int) -> ReviewsOverview:
    """The Reviews tab: the latest ``size`` of each kind, and the 12-week rates. Five queries."""
    reviews = programme_reviews(programme)
    open_ones = reviews.filter(status__in=(ReviewStatus.SCHEDULED, ReviewStatus.STARTED))
    window_start = now - review_rules.RATE_WINDOW
    past = list(
        reviews.filter(scheduled_for__gte=window_start, scheduled_for__lte=now)
        .exclude(status=ReviewStatus.CANCELLED)
        .annotate(
            present=Count("attendance", filter=Q(attendance__present=True)),
        )
        .values("status", "held_at", "missed_after", "present")
    )
    owners = len({getattr(programme, f"{field}_id") for field, _ in OWNER_ROLES} - {None})
    rates = review_rules.review_rates(
        [
            (
                row["status"],
                row["held_at"] is not None and row["held_at"] <= row["missed_after"],
            )
            for row in past
            if row["status"] in (ReviewStatus.HELD, ReviewStatus.MISSED)
        ],
        [(min(row["present"], owners), owners) for row in past if row["status"] == "held"],
    )
    return ReviewsOverview(
        upcoming=list(open_ones.order_by("scheduled_for")[:size]),
        held=list(reviews.filter(status=ReviewStatus.HELD).order_by("-scheduled_for")[:size]),
        missed=list(reviews.filter(status=ReviewStatus.MISSED).order_by("-scheduled_for")[:size]),
        cancelled=list(
            reviews.filter(status=ReviewStatus.CANCELLED).order_by("-scheduled_for")[:size]
        ),
        rates=rates,
    )


def overdue_review_actions(today: dt.date) -> list[OverdueAction]:
    """Review action items past their due date: the reviews' part of the daily overdue digest."""
    overdue = ActionItem.objects.filter(status=ActionStatus.OPEN, due_on__lt=today).select_related(
        "owner", "programme", "raised_in__programme"
    )
    return [
        OverdueAction(
            owner=action.owner,
            title=action.title,
            due_on=action.due_on,
            where=f"{action.programme.name}: weekly review of {action.raised_in.when}",
            link=action.raised_in.get_absolute_url(),
            programme_id=action.programme_id,
        )
        for action in overdue
    ]
