"""Who is on call now on 1,000 weekly rotations: Keel's `GET /api/v1/oncall-now/?page_size=1000`
beside the iCalendar approach (Grafana OnCall's), timed in the same run.

The baseline stores each rotation as iCalendar text (one weekly recurring event per member, as
OnCall's rolling-users layers are, and the overrides as events of their own), and answers "who is
on call now, and next" by parsing that text with `icalendar` and expanding it with
`recurring_ical_events` over ±16 days. Keel answers from its rows and the schedule maths. Both
answer the same question for the same 1,000 rotations of 4 people (one in ten with an override
under way), and both are checked to agree. Prints the median of several alternating runs of each
and the ratio. Runs on a throwaway test database of the configured engine (DATABASE_URL).
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

import icalendar  # noqa: E402
import recurring_ical_events  # type: ignore[import-untyped]  # noqa: E402
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

from oncall.models import Override, Rotation, RotationVersion  # noqa: E402
from programmes.models import Person, Programme  # noqa: E402
from programmes.selectors import LEADERSHIP_GROUP  # noqa: E402

ROTATIONS = 1000
MEMBERS = 4
RUNS = 9
WINDOW = dt.timedelta(days=16)


def build(now: dt.datetime) -> tuple[object, dict[int, str], dict[int, str]]:
    """The rotations in Keel's tables, and the same rotations as iCalendar text (rotation
    layer, overrides) keyed by rotation id."""
    user = get_user_model().objects.create_user("bench", password="bench")  # noqa: S106
    user.groups.add(Group.objects.create(name=LEADERSHIP_GROUP))
    programmes = Programme.objects.bulk_create(
        Programme(name=f"Programme {n}", slug=f"programme-{n}") for n in range(100)
    )
    people = Person.objects.bulk_create(
        Person(name=f"Engineer {n}", email=f"engineer{n}@example.com") for n in range(200)
    )
    rotations = Rotation.objects.bulk_create(
        Rotation(programme=programmes[n % 100], name=f"Rotation {n}") for n in range(ROTATIONS)
    )
    layers, overrides = {}, {}
    versions, override_rows = [], []
    for n, rotation in enumerate(rotations):
        anchor = (now - dt.timedelta(days=300 + n % 7)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        members = [people[(n * 3 + k) % len(people)] for k in range(MEMBERS)]
        versions.append(
            RotationVersion(
                rotation=rotation,
                effective_from=anchor,
                anchor=anchor,
                # UTC handoffs: iCalendar text with UTC times means the same instants.
                timezone="UTC",
                shift_kind="weekly",
                handoff_time=anchor.astimezone(dt.UTC).time(),
                handoff_weekday=anchor.weekday(),
                member_ids=[member.pk for member in members],
            )
        )
        layers[rotation.pk] = rotation_ical(anchor, members)
        if n % 10 == 0:
            start, end = now - dt.timedelta(hours=2), now + dt.timedelta(hours=6)
            cover = people[(n * 7 + 1) % len(people)]
            override_rows.append(Override(rotation=rotation, person=cover, start=start, end=end))
            overrides[rotation.pk] = overrides_ical([(start, end, cover)])
        else:
            overrides[rotation.pk] = overrides_ical([])
    RotationVersion.objects.bulk_create(versions)
    Override.objects.bulk_create(override_rows)
    return user, layers, overrides


def rotation_ical(anchor: dt.datetime, members: list[Person]) -> str:
    """A weekly rolling layer: member k's shifts start in week k and recur every n weeks."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Keel bench//rolling users//EN")
    calendar.add("version", "2.0")
    for k, member in enumerate(members):
        event = icalendar.Event()
        event.add("uid", f"{member.pk}-{k}@bench")
        event.add("summary", str(member.pk))
        event.add("dtstart", anchor + dt.timedelta(weeks=k))
        event.add("dtend", anchor + dt.timedelta(weeks=k + 1))
        event.add("rrule", {"freq": "weekly", "interval": len(members)})
        calendar.add_component(event)
    return calendar.to_ical().decode()


def overrides_ical(periods: list[tuple[dt.datetime, dt.datetime, Person]]) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Keel bench//overrides//EN")
    calendar.add("version", "2.0")
    for start, end, person in periods:
        event = icalendar.Event()
        event.add("uid", f"override-{person.pk}-{start:%s}@bench")
        event.add("summary", str(person.pk))
        event.add("dtstart", start)
        event.add("dtend", end)
        calendar.add_component(event)
    return calendar.to_ical().decode()


def ical_answer(layer: str, override: str, now: dt.datetime) -> tuple[int, int]:
    """Who is on call at ``now`` and who is next, the iCalendar way: parse both calendars,
    expand them over ±16 days, an override event beating the rotation's."""
    window = (now - WINDOW, now + WINDOW)
    shifts = recurring_ical_events.of(icalendar.Calendar.from_ical(layer)).between(*window)
    covers = recurring_ical_events.of(icalendar.Calendar.from_ical(override)).between(*window)
    events = [*covers, *shifts]

    def on_call_at(moment: dt.datetime) -> int | None:
        for group in (covers, shifts):
            for event in group:
                if event["DTSTART"].dt <= moment < event["DTEND"].dt:
                    return int(event["SUMMARY"])
        return None

    person = on_call_at(now)
    boundaries = sorted(
        {e[edge].dt for e in events for edge in ("DTSTART", "DTEND") if e[edge].dt > now}
    )
    following = next(p for p in map(on_call_at, boundaries) if p is not None and p != person)
    assert person is not None
    return person, following


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        now = timezone.now()
        user, layers, overrides = build(now)
        client = APIClient()
        client.force_login(user)  # type: ignore[arg-type]
        url = "/api/v1/oncall-now/?page_size=1000"
        keel_times, ical_times, queries = [], [], 0
        answer: list[dict] = []
        by_ical: dict[int, tuple[int, int]] = {}
        client.get(url)  # the session, once
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                keel_times.append(time.perf_counter() - started)
            assert response.status_code == 200
            answer, queries = response.json()["results"], len(captured.captured_queries)
            started = time.perf_counter()
            by_ical = {pk: ical_answer(layers[pk], overrides[pk], now) for pk in layers}
            ical_times.append(time.perf_counter() - started)
        agree = sum(
            (row["now"]["person"]["id"], row["next"]["person"]["id"])
            == by_ical[row["rotation"]["id"]]
            for row in answer
        )
        keel, ical = statistics.median(keel_times), statistics.median(ical_times)
        print(
            f"Who is on call now, {len(answer):,} weekly rotations of {MEMBERS} people "
            f"({connection.vendor}; median of {RUNS} alternating runs)"
        )
        print(
            f"  Keel  GET {url}  {keel * 1000:8.1f} ms  {queries} queries  "
            f"{len(response.content) // 1024} KiB"
        )
        print(f"  iCal  parse + expand ±16 days         {ical * 1000:8.1f} ms")
        print(f"  ratio iCal / Keel                     {ical / keel:8.1f}×  (goal ≥ 50×)")
        print(f"  answers that agree                    {agree:>5} of {len(answer)}")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
