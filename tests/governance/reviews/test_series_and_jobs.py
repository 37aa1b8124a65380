"""The review series and its jobs, with frozen time: reviews keep their local time across a
change of clocks, and so does their 24-hour reminder; a review not held by the end of its local
day becomes missed and tells the owner and the sponsor once; the cadence moves future reviews,
never past ones."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from governance import review_jobs as jobs
from governance.models import Review, ReviewStatus
from governance.notification_kinds import REVIEW_MISSED, REVIEW_REMINDER
from programmes.models import Channel, Notification, Programme, Weekday
from tests.conftest import api_client_for
from tests.factories import PersonFactory, ProgrammeFactory

UTC = dt.UTC


def _programme(zone: str, **fields: Any) -> Programme:
    return ProgrammeFactory(
        review_weekday=Weekday.MONDAY,
        review_time=dt.time(10, 0),
        review_timezone=zone,
        programme_owner=PersonFactory(name="Owner"),
        executive_sponsor=PersonFactory(name="Sponsor"),
        **fields,
    )


def _local(review: Review, zone: str) -> tuple[str, str]:
    moment = review.scheduled_for.astimezone(ZoneInfo(zone))
    return f"{moment:%Y-%m-%d %H:%M}", f"{moment:%a}"


def _reminded(review: Review) -> int:
    return Notification.objects.filter(
        kind=REVIEW_REMINDER, channel=Channel.IN_APP, link=review.get_absolute_url()
    ).count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "before_change", "after_change"),
    [
        # New York leaves daylight time on Sunday 1 November 2026.
        (
            "America/New_York",
            dt.datetime(2026, 10, 26, 14, tzinfo=UTC),
            dt.datetime(2026, 11, 2, 15, tzinfo=UTC),
        ),
        # London leaves summer time on Sunday 25 October 2026.
        (
            "Europe/London",
            dt.datetime(2026, 10, 19, 9, tzinfo=UTC),
            dt.datetime(2026, 10, 26, 10, tzinfo=UTC),
        ),
    ],
)
def test_reviews_and_their_reminders_keep_their_local_time_across_a_change_of_clocks(
    zone: str, before_change: dt.datetime, after_change: dt.datetime
) -> None:
    with time_machine.travel(before_change - dt.timedelta(days=2), tick=False):
        programme = _programme(zone)
    times = list(
        Review.objects.filter(programme=programme)
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
    )
    assert times[:2] == [before_change, after_change]
    assert len(times) == 4
    assert {t.astimezone(ZoneInfo(zone)).strftime("%a %H:%M") for t in times} == {"Mon 10:00"}

    review = Review.objects.get(programme=programme, scheduled_for=after_change)
    # The reminder is the review's own wall-clock time on the Sunday, after the change.
    reminder = after_change - dt.timedelta(days=1)
    assert review.remind_at == reminder
    with time_machine.travel(reminder - dt.timedelta(minutes=1), tick=False):
        jobs.remind_weekly_reviews(reminder - dt.timedelta(minutes=1))
    assert _reminded(review) == 0
    with time_machine.travel(reminder, tick=False):
        assert jobs.remind_weekly_reviews(reminder) > 0
        assert jobs.remind_weekly_reviews(reminder + dt.timedelta(minutes=5)) == 0
    assert _reminded(review) == 2  # the owner and the sponsor, once each
    body = Notification.objects.filter(kind=REVIEW_REMINDER).first()
    assert body is not None
    assert "10:00" in body.subject


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London"])
def test_a_review_not_held_by_the_end_of_its_local_day_is_missed_once(zone: str) -> None:
    start = dt.datetime(2026, 10, 28, 12, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        programme = _programme(zone)
    review = Review.objects.filter(programme=programme).order_by("scheduled_for").first()
    assert review is not None
    local = review.scheduled_for.astimezone(ZoneInfo(zone))
    day_end = dt.datetime.combine(
        local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(zone)
    ).astimezone(UTC)
    assert review.missed_after == day_end

    with time_machine.travel(day_end - dt.timedelta(minutes=1), tick=False):
        assert jobs.mark_missed_reviews(day_end - dt.timedelta(minutes=1)) == 0
    review.refresh_from_db()
    assert review.status == ReviewStatus.SCHEDULED

    with time_machine.travel(day_end, tick=False):
        jobs.mark_missed_reviews(day_end)
        assert jobs.mark_missed_reviews(day_end + dt.timedelta(minutes=1)) == 0
    review.refresh_from_db()
    assert review.status == ReviewStatus.MISSED
    told = Notification.objects.filter(kind=REVIEW_MISSED, channel=Channel.IN_APP)
    assert sorted(told.values_list("recipient__name", flat=True)) == ["Owner", "Sponsor"]


@pytest.mark.django_db
def test_a_cancelled_review_is_not_missed() -> None:
    start = dt.datetime(2026, 10, 28, 12, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        programme = _programme("Europe/London")
        review = Review.objects.filter(programme=programme).order_by("scheduled_for").first()
        assert review is not None
        Review.objects.filter(pk=review.pk).update(
            status=ReviewStatus.CANCELLED, cancel_reason="Offsite"
        )
    later = review.missed_after + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        assert jobs.mark_missed_reviews(later) == 0
    review.refresh_from_db()
    assert review.status == ReviewStatus.CANCELLED
    assert not Notification.objects.filter(kind=REVIEW_MISSED).exists()


@pytest.mark.django_db
def test_a_new_cadence_moves_future_reviews_and_leaves_past_ones(staff: Any) -> None:
    start = dt.datetime(2026, 10, 28, 12, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        programme = _programme("Europe/London")
        past = Review.objects.create(
            programme=programme,
            scheduled_for=start - dt.timedelta(days=2),
            timezone="Europe/London",
            missed_after=start - dt.timedelta(days=1),
            remind_at=start - dt.timedelta(days=3),
            status=ReviewStatus.HELD,
        )
        answer = api_client_for(staff).patch(
            f"/api/v1/programmes/{programme.slug}/",
            {"review_weekday": 3, "review_time": "15:30", "review_timezone": "America/New_York"},
            format="json",
        )
        assert answer.status_code == 200, answer.json()
    past.refresh_from_db()
    assert past.scheduled_for == start - dt.timedelta(days=2)
    future = Review.objects.filter(programme=programme, status=ReviewStatus.SCHEDULED)
    assert future.count() == 4
    shown = {
        r.scheduled_for.astimezone(ZoneInfo("America/New_York")).strftime("%a %H:%M")
        for r in future
    }
    assert shown == {"Thu 15:30"}
    assert {r.timezone for r in future} == {"America/New_York"}


@pytest.mark.django_db
def test_the_series_job_keeps_four_reviews_ahead_and_is_idempotent() -> None:
    start = dt.datetime(2026, 10, 28, 12, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        programme = _programme("Europe/London")
    three_weeks = start + dt.timedelta(days=14)
    with time_machine.travel(three_weeks, tick=False):
        assert jobs.plan_review_series(three_weeks) == 2
        assert jobs.plan_review_series(three_weeks) == 0
    ahead = Review.objects.filter(programme=programme, scheduled_for__gt=three_weeks)
    assert ahead.count() == 4


@pytest.mark.django_db
def test_a_cadence_in_an_unknown_zone_is_refused_and_the_series_stays(staff: Any) -> None:
    programme = _programme("Europe/London")
    before = list(
        Review.objects.filter(programme=programme).values_list("scheduled_for", flat=True)
    )

    answer = api_client_for(staff).patch(
        f"/api/v1/programmes/{programme.slug}/",
        {"review_timezone": "Mars/Olympus_Mons"},
        format="json",
    )

    assert answer.status_code == 400
    assert "not a known time zone" in answer.json()["review_timezone"][0]
    after = list(Review.objects.filter(programme=programme).values_list("scheduled_for", flat=True))
    assert after == before
