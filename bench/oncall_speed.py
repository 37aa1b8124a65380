"""On-call speed budget: 1,000 rotations of 6 people.

Prints the time and SQL query count of `GET /api/v1/oncall-now/` (every rotation), of one
rotation's schedule over a year, of the rotation and handoff pages, and of the scheduler tick's
`prepare_handoffs` over every rotation (the first run writes the rows, the second finds them).
Runs on a throwaway test database of the configured engine: `make bench`, or with DATABASE_URL
set to measure PostgreSQL.
"""

import datetime as dt
import os
import statistics
import sys
import time
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

from oncall.jobs import prepare_handoffs  # noqa: E402
from oncall.models import Override, Rotation, RotationVersion  # noqa: E402
from programmes.models import Person, Programme  # noqa: E402
from programmes.selectors import LEADERSHIP_GROUP  # noqa: E402

ROTATIONS = 1000
PEOPLE = 6
REPEATS = 5


def build() -> tuple[object, Rotation]:
    user = get_user_model().objects.create_user("bench", password="bench")  # noqa: S106
    user.groups.add(Group.objects.create(name=LEADERSHIP_GROUP))
    programmes = Programme.objects.bulk_create(
        Programme(name=f"Programme {n}", slug=f"programme-{n}") for n in range(50)
    )
    people = Person.objects.bulk_create(
        Person(name=f"Engineer {n}", email=f"engineer{n}@example.com", timezone="Europe/London")
        for n in range(PEOPLE * 20)
    )
    anchor = timezone.now() - dt.timedelta(days=400)
    rotations = Rotation.objects.bulk_create(
        Rotation(programme=programmes[n % 50], name=f"Rotation {n}") for n in range(ROTATIONS)
    )
    kinds = ["daily", "weekly", "hours"]
    RotationVersion.objects.bulk_create(
        RotationVersion(
            rotation=rotation,
            effective_from=anchor,
            anchor=anchor,
            timezone=["Europe/London", "America/New_York", "Asia/Tokyo"][n % 3],
            shift_kind=kinds[n % 3],
            shift_hours=12,
            handoff_time=dt.time(9),
            handoff_weekday=n % 7,
            member_ids=[people[(n + k) % len(people)].pk for k in range(PEOPLE)],
        )
        for n, rotation in enumerate(rotations)
    )
    now = timezone.now()
    Override.objects.bulk_create(
        Override(
            rotation=rotation,
            person=people[n % len(people)],
            start=now + dt.timedelta(hours=n % 48),
            end=now + dt.timedelta(hours=n % 48 + 4),
        )
        for n, rotation in enumerate(rotations)
    )
    return user, rotations[0]


def measure(client: APIClient, label: str, url: str, params: dict[str, str] | None = None) -> None:
    timings = []
    queries = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params or {})
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    print(
        f"{label:<48} {statistics.median(timings):8.1f} ms median "
        f"{max(timings):8.1f} ms max  {queries:3d} queries  {len(response.content) // 1024:5d} KiB"
    )


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        user, rotation = build()
        print(
            f"Keel on-call benchmark on {connection.vendor}: {ROTATIONS} rotations of {PEOPLE} "
            f"people, one override each (built in {time.perf_counter() - started:.1f} s)"
        )
        client = APIClient()
        client.force_login(user)  # type: ignore[arg-type]
        measure(
            client,
            "api   GET /api/v1/oncall-now/ (1,000 rotations)",
            "/api/v1/oncall-now/?page_size=1000",
        )
        now = timezone.now()
        year = {"start": now.isoformat(), "end": (now + dt.timedelta(days=365)).isoformat()}
        measure(
            client,
            "api   GET /api/v1/rotations/<id>/schedule/ (1 year)",
            f"/api/v1/rotations/{rotation.pk}/schedule/",
            year,
        )
        measure(client, "api   GET /api/v1/rotations/?page=1", "/api/v1/rotations/")
        measure(client, "page  /oncall/<id>/ (13 weeks)", f"/oncall/{rotation.pk}/?weeks=13")
        for run in ("writes", "finds"):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                written = prepare_handoffs(timezone.now())
                took = (time.perf_counter() - started) * 1000
            label = f"tick  prepare_handoffs ({ROTATIONS:,} rotations, {run})"
            print(
                f"{label:<48} {took:8.1f} ms          "
                f"{len(captured.captured_queries):13d} queries  {written:5d} rows"
            )
        measure(client, "page  /oncall/<id>/handoff/", f"/oncall/{rotation.pk}/handoff/")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
