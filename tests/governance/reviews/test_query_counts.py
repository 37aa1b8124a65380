"""The review page, the Reviews tab, the minutes and the reviews API run a constant number of
queries: the same for a programme with 100 reviews, 500 actions and a year of daily
measurements as for one with a couple of each."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import ActionItem, Attendance, Decision, Review, ReviewStatus
from programmes.models import Programme
from scorecards.models import Measurement
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD, MembershipFactory, MetricFactory

from .conftest import open_incident

# The most queries any of these pages or endpoints may run, at any size (the live agenda's
# readiness section reads the readiness of the programme: its own fixed dozen).
LIMIT = 48


def _fill(programme: Programme, *, reviews: int, actions: int, days: int) -> Review:
    """Past reviews (held, with attendance and a decision), open and closed actions spread over
    them, ``days`` of daily measurements; returns the programme's next review."""
    now = timezone.now()
    past = Review.objects.bulk_create(
        Review(
            programme=programme,
            scheduled_for=now - dt.timedelta(weeks=n + 1),
            timezone="Europe/London",
            missed_after=now - dt.timedelta(weeks=n + 1) + dt.timedelta(hours=12),
            remind_at=now - dt.timedelta(weeks=n + 1, days=1),
            status=ReviewStatus.HELD if n % 5 else ReviewStatus.MISSED,
            started_at=now - dt.timedelta(weeks=n + 1),
            held_at=now - dt.timedelta(weeks=n + 1) + dt.timedelta(hours=1),
            snapshot={
                "since": now.isoformat(),
                "until": now.isoformat(),
                "period": "",
                "sections": [],
            },
        )
        for n in range(reviews)
    )
    owner = programme.programme_owner
    assert owner is not None
    Attendance.objects.bulk_create(Attendance(review=r, person=owner) for r in past)
    Decision.objects.bulk_create(
        Decision(review=r, kind="continue", text="On track", decided_at=now) for r in past
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            programme=programme,
            raised_in=past[n % len(past)],
            title=f"Action {n}",
            owner=owner,
            due_on=now.date() + dt.timedelta(days=n % 30 - 15),
            status="open" if n % 3 else "done",
            closed_at=None if n % 3 else now - dt.timedelta(days=n % 10),
        )
        for n in range(actions)
    )
    headline = MetricFactory(programme=programme, name="Accuracy")
    cost = MetricFactory(
        programme=programme, name="Cost per task", is_headline=False, kind="cost_per_task"
    )
    for metric in (headline, cost):
        Measurement.objects.bulk_create(
            Measurement(
                metric=metric,
                value=Decimal(80 + n % 7),
                measured_at=now - dt.timedelta(days=n, hours=1),
                model_version=f"v{n // 60}",
            )
            for n in range(days)
        )
    for n in range(3):
        open_incident(programme, f"Incident {n}")
    upcoming = Review.objects.filter(programme=programme, status=ReviewStatus.SCHEDULED)
    return upcoming.order_by("scheduled_for").first() or pytest.fail("no upcoming review")


def _counts(client: Client, api: Any, review: Review) -> dict[str, int]:
    slug = review.programme.slug
    paths = {
        "review page": (client, review.get_absolute_url()),
        "reviews tab": (client, f"/programmes/{slug}/reviews/"),
        "minutes": (client, review.get_minutes_url()),
        "api list": (api, f"/api/v1/programmes/{slug}/reviews/"),
        "api detail": (api, f"/api/v1/reviews/{review.pk}/"),
        "api actions": (api, f"/api/v1/programmes/{slug}/action-items/"),
        "api decisions": (api, f"/api/v1/reviews/{review.pk}/decisions/"),
    }
    counts = {}
    for name, (who, path) in paths.items():
        with CaptureQueriesContext(connection) as queries:
            assert who.get(path).status_code == 200, path
        counts[name] = len(queries)
    return counts


@pytest.mark.parametrize("started", [False, True], ids=["live agenda", "snapshot"])
def test_reviews_run_a_constant_number_of_queries_at_any_size(
    owner: Any,
    owners: Any,
    programme: Programme,
    other_programme: Programme,
    started: bool,
    django_assert_max_num_queries: Any,
) -> None:
    other_programme.programme_owner = programme.programme_owner
    other_programme.save()
    small = _fill(other_programme, reviews=2, actions=3, days=10)
    large = _fill(programme, reviews=100, actions=500, days=366)
    MembershipFactory(programme=other_programme, user=owner, role="owner")
    client = Client()
    assert log_in(client, username=owner.username, password=PASSWORD)
    api = api_client_for(owner)
    # The first request of a token records its use; the first of a session its login.
    assert api.get("/api/v1/programmes/").status_code == 200
    assert client.get("/programmes/").status_code == 200
    if started:
        for review in (small, large):
            assert api.post(f"/api/v1/reviews/{review.pk}/start/").status_code == 200

    at_small = _counts(client, api, small)
    at_large = _counts(client, api, large)

    assert at_large == at_small
    assert max(at_large.values()) <= LIMIT, at_large
    with django_assert_max_num_queries(LIMIT):
        client.get(large.get_absolute_url())
