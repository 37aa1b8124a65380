"""Calendar feeds: a rotation's matches its schedule, a person's lists only their shifts."""

import datetime as dt

import icalendar
import pytest
import time_machine
from django.test import Client

from oncall.models import (
    CalendarFeedToken,
    Override,
)
from tests.conftest import api_client_for
from tests.oncall.helpers import (
    UTC,
    create,
    parse,
    path_of,
    schedule,
)

pytestmark = pytest.mark.django_db


def test_calendar_feed_matches_the_schedule_and_keeps_stable_uids(owner, programme, people):
    client = api_client_for(owner)
    rotation = create(client, programme, people, start="2026-01-05")
    Override.objects.create(
        rotation_id=rotation["id"],
        person=people[0],
        start=dt.datetime(2026, 2, 10, 12, tzinfo=UTC),
        end=dt.datetime(2026, 2, 10, 18, tzinfo=UTC),
    )
    issued = client.post(f"/api/v1/rotations/{rotation['id']}/calendar-feeds/")
    assert issued.status_code == 201
    url = issued.json()["url"]
    assert "token=" in url
    path = path_of(url)
    stored = CalendarFeedToken.objects.get()
    assert stored.key_hash != path.split("token=")[1]

    with time_machine.travel(dt.datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False):
        first = Client().get(path)
        # The feed covers 30 days back to 180 ahead in whole shifts: 2 Jan 09:00 GMT to
        # 1 Aug 09:00 BST.
        found = schedule(
            client,
            rotation["id"],
            dt.datetime(2026, 1, 2, 9, tzinfo=UTC),
            dt.datetime(2026, 8, 1, 8, tzinfo=UTC),
        )
    with time_machine.travel(dt.datetime(2026, 2, 1, 13, tzinfo=UTC), tick=False):
        second = Client().get(path)
    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(first.content)
    events = [c for c in calendar.walk("VEVENT")]
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids))
    again = [str(e["uid"]) for e in icalendar.Calendar.from_ical(second.content).walk("VEVENT")]
    assert again == uids
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (parse(s["start"]), parse(s["end"])) for s in found["shifts"]
    ]
    assert events[0].decoded("dtstart").tzinfo.key == "Europe/London"
    assert calendar.walk("VTIMEZONE")
    assert any("(override)" in str(e["summary"]) for e in events)

    revoked = client.delete(f"/api/v1/calendar-feeds/{stored.pk}/")
    assert revoked.status_code == 200
    assert Client().get(path).status_code == 404
    assert Client().get(path.split("?")[0] + "?token=wrong").status_code == 404


def test_person_feed_lists_only_their_shifts(owner, programme, people):
    people[0].user = owner
    people[0].save()
    client = api_client_for(owner)
    create(client, programme, people, start="2026-01-05")
    issued = client.post("/api/v1/me/calendar-feeds/").json()
    with time_machine.travel(dt.datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False):
        response = Client().get(path_of(issued["url"]))
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert events
    assert all("Ana" in str(e["summary"]) for e in events)
