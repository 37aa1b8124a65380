"""The weekly reviews' reminders, read and written in bulk: every named owner of every due review
hears once, in their own zone, with the review's own link, and the job runs the same number of
queries for many reviews due as for a few."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance import review_jobs as jobs
from governance.models import Review
from governance.notification_kinds import REVIEW_REMINDER
from programmes.models import Channel, Notification, Person, Programme, Weekday
from programmes.times import for_message
from tests.factories import PersonFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# A Thursday: the programmes below review on Mondays at 10:00 London time.
MADE = dt.datetime(2026, 11, 26, 12, tzinfo=UTC)


def _programmes(count: int, owner: Person, sponsor: Person) -> list[Programme]:
    """``count`` programmes sharing their owner, each with its own technical owner in New York;
    the sponsor is also the delivery lead of each (one reminder for two roles)."""
    with time_machine.travel(MADE, tick=False):
        return [
            ProgrammeFactory(
                review_weekday=Weekday.MONDAY,
                review_time=dt.time(10, 0),
                review_timezone="Europe/London",
                programme_owner=owner,
                executive_sponsor=sponsor,
                delivery_lead=sponsor,
                technical_owner=PersonFactory(timezone="America/New_York"),
            )
            for _ in range(count)
        ]


def _first_review(programme: Programme) -> Review:
    review = Review.objects.filter(programme=programme).order_by("scheduled_for").first()
    assert review is not None
    return review


def _remind(at: dt.datetime) -> tuple[int, int]:
    with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as queries:
        written = jobs.remind_weekly_reviews(at)
    return written, len(queries)


def test_every_owner_of_every_due_review_hears_once_with_its_link_and_their_time():
    owner = PersonFactory(name="Olive Owner", timezone="Europe/Rome")
    sponsor = PersonFactory(name="Sid Sponsor", email="")
    programmes = _programmes(3, owner, sponsor)
    reviews = [_first_review(programme) for programme in programmes]
    at = reviews[0].remind_at

    written, _ = _remind(at)

    # Owner (in-app and email), sponsor (in-app: no email address), technical owner (both).
    assert written == 5 * len(programmes)
    for programme, review in zip(programmes, reviews, strict=True):
        rows = Notification.objects.filter(
            kind=REVIEW_REMINDER, programme=programme, channel=Channel.IN_APP
        )
        assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(
            [owner.pk, sponsor.pk, programme.technical_owner_id]
        )
        assert {row.link for row in rows} == {review.get_absolute_url()}
        with time_machine.travel(at, tick=False):
            london = for_message(review.scheduled_for, "Europe/London")
            rome = for_message(review.scheduled_for, "Europe/Rome")
            new_york = for_message(review.scheduled_for, "America/New_York")
        assert {row.subject for row in rows} == {f"{programme.name}: weekly review {london}"}
        bodies = {row.recipient_id: row.body for row in rows}
        assert f"The weekly review of {programme.name} is {rome}." in bodies[owner.pk]
        assert programme.technical_owner is not None
        assert new_york in bodies[programme.technical_owner.pk]
        review.refresh_from_db()
        assert review.reminded_at == at

    assert _remind(at + dt.timedelta(minutes=1))[0] == 0


def test_the_reminders_cost_the_same_queries_for_many_reviews_as_for_a_few():
    few = _programmes(2, PersonFactory(), PersonFactory())
    at = _first_review(few[0]).remind_at
    _, few_queries = _remind(at)

    # Their first reviews fall due at the same time as the first two's, already reminded.
    _programmes(12, PersonFactory(), PersonFactory())
    written, many_queries = _remind(at + dt.timedelta(minutes=1))

    assert written == 12 * 3 * 2
    assert many_queries == few_queries


def test_the_link_is_the_reviews_own():
    programme = _programmes(1, PersonFactory(), PersonFactory())[0]
    review = _first_review(programme)
    assert jobs.review_links()(programme.slug, review.pk) == review.get_absolute_url()
