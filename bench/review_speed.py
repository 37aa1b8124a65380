"""Weekly review speed budget: a portfolio of 500 programmes, each with its series of reviews.

Prints the time and SQL query count of the review jobs when nothing is due and when some
reviews are (the cost follows what is due, not the portfolio: the ratio is printed), and of the
review page and API for one programme with 100 reviews, 500 action items and a year of daily
measurements. Runs on a throwaway test database of the configured engine: `make bench`, or with
DATABASE_URL set to measure PostgreSQL.
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# One log line per request would drown the figures.
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from governance import review_jobs as jobs  # noqa: E402
from governance.models import ActionItem, Review, ReviewStatus  # noqa: E402
from programmes.models import Person, Programme  # noqa: E402
from programmes.selectors import LEADERSHIP_GROUP  # noqa: E402
from scorecards.models import Measurement, Metric  # noqa: E402

PROGRAMMES = 500
DUE = 10
REPEATS = 5


def build() -> tuple[object, Review]:
    user = get_user_model().objects.create_user("bench", password="bench")  # noqa: S106
    user.groups.add(Group.objects.create(name=LEADERSHIP_GROUP))
    owner = Person.objects.create(name="Owner", email="owner@example.com")
    Programme.objects.bulk_create(
        Programme(name=f"Programme {n}", slug=f"programme-{n}", programme_owner=owner)
        for n in range(PROGRAMMES)
    )
    now = timezone.now()
    jobs.plan_review_series(now)
    programme = Programme.objects.get(slug="programme-0")
    past = Review.objects.bulk_create(
        Review(
            programme=programme,
            scheduled_for=now - dt.timedelta(weeks=n + 1),
            timezone="UTC",
            missed_after=now - dt.timedelta(weeks=n + 1) + dt.timedelta(hours=12),
            remind_at=now - dt.timedelta(weeks=n + 1, days=1),
            status=ReviewStatus.HELD,
            started_at=now - dt.timedelta(weeks=n + 1),
        )
        for n in range(100)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            programme=programme,
            raised_in=past[n % 100],
            title=f"Action {n}",
            owner=owner,
            due_on=now.date() + dt.timedelta(days=n % 30 - 15),
        )
        for n in range(500)
    )
    metric = Metric.objects.create(
        programme=programme,
        name="Accuracy",
        is_headline=True,
        baseline_value=Decimal(70),
        baseline_date=now.date() - dt.timedelta(days=365),
        target_value=Decimal(90),
        target_date=now.date() + dt.timedelta(days=365),
    )
    Measurement.objects.bulk_create(
        Measurement(
            metric=metric, value=Decimal(80 + n % 5), measured_at=now - dt.timedelta(days=n)
        )
        for n in range(366)
    )
    upcoming = Review.objects.filter(programme=programme, status=ReviewStatus.SCHEDULED)
    return user, upcoming.order_by("scheduled_for").first()  # type: ignore[return-value]


def tick(label: str, job: object, now: dt.datetime) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        written = job(now)  # type: ignore[operator]
        took = (time.perf_counter() - started) * 1000
    queries = len(captured.captured_queries)
    print(f"{label:<56} {took:8.1f} ms {queries:6d} queries {written:5d} written")
    return took, queries


def measure(client: APIClient, label: str, url: str) -> None:
    timings = []
    queries = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    print(
        f"{label:<56} {statistics.median(timings):8.1f} ms median {queries:4d} queries "
        f"{len(response.content) // 1024:5d} KiB"
    )


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        user, review = build()
        print(
            f"Keel weekly review benchmark on {connection.vendor}: {PROGRAMMES} programmes, "
            f"{Review.objects.count():,} reviews (built in {time.perf_counter() - started:.1f} s)"
        )
        now = timezone.now()
        idle = {}
        for name in ("plan_review_series", "remind_weekly_reviews", "mark_missed_reviews"):
            idle[name] = tick(f"tick  {name} (nothing due)", getattr(jobs, name), now)
        first = Review.objects.filter(status=ReviewStatus.SCHEDULED).order_by("pk")[:DUE]
        Review.objects.filter(pk__in=[r.pk for r in first]).update(
            remind_at=now - dt.timedelta(minutes=1), missed_after=now + dt.timedelta(hours=2)
        )
        _, reminded = tick(
            f"tick  remind_weekly_reviews ({DUE} due)", jobs.remind_weekly_reviews, now
        )
        Review.objects.filter(pk__in=[r.pk for r in first]).update(
            missed_after=now - dt.timedelta(minutes=1)
        )
        _, missed = tick(f"tick  mark_missed_reviews ({DUE} due)", jobs.mark_missed_reviews, now)
        print(
            f"      queries per due review: reminders "
            f"{(reminded - idle['remind_weekly_reviews'][1]) / DUE:.1f}, missed "
            f"{(missed - idle['mark_missed_reviews'][1]) / DUE:.1f} "
            f"(the {PROGRAMMES - DUE} programmes with nothing due cost nothing)"
        )
        client = APIClient()
        client.force_login(user)  # type: ignore[arg-type]
        slug = review.programme.slug
        measure(client, "page  review page (live agenda, 500 actions)", review.get_absolute_url())
        measure(client, "page  Reviews tab (100 past reviews)", f"/programmes/{slug}/reviews/")
        measure(
            client, "api   GET /api/v1/reviews/<id>/ (live agenda)", f"/api/v1/reviews/{review.pk}/"
        )
        measure(
            client,
            "api   GET /api/v1/programmes/<slug>/reviews/",
            f"/api/v1/programmes/{slug}/reviews/",
        )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
