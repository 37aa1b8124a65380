"""The rotations API: schedules across DST, refused input, edits from the next handoff, who may
change a rotation."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from oncall.models import (
    Rotation,
)
from oncall.notification_kinds import (
    ROTATION_CHANGED,
)
from programmes.models import Channel, Notification
from tests.conftest import api_client_for
from tests.oncall.helpers import (
    UTC,
    create,
    parse,
    rotation_body,
    schedule,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zone", "start", "change_day", "hours"),
    [
        ("Europe/London", "2026-03-20", dt.date(2026, 3, 28), 23),
        ("Europe/London", "2026-10-20", dt.date(2026, 10, 24), 25),
        ("America/New_York", "2026-03-01", dt.date(2026, 3, 7), 23),
        ("America/New_York", "2026-10-25", dt.date(2026, 10, 31), 25),
    ],
)
def test_handoff_stays_at_local_wall_clock_time_across_dst(
    owner, programme, people, zone, start, change_day, hours
):
    client = api_client_for(owner)
    rotation = create(client, programme, people, timezone=zone, start=start)
    tz = ZoneInfo(zone)
    window_start = dt.datetime.combine(change_day - dt.timedelta(days=1), dt.time(9), tz)
    found = schedule(client, rotation["id"], window_start, window_start + dt.timedelta(days=3))
    shifts = found["shifts"]
    assert [parse(s["start"]).astimezone(tz).time() for s in shifts] == [dt.time(9)] * 3
    assert [(parse(s["end"]) - parse(s["start"])).total_seconds() / 3600 for s in shifts] == [
        24,
        hours,
        24,
    ]

    # Frozen just before and at the handoff after the change: who is on call flips at 09:00 local.
    handoff = dt.datetime.combine(change_day + dt.timedelta(days=1), dt.time(9), tz)
    with time_machine.travel(handoff - dt.timedelta(minutes=1), tick=False):
        before = client.get(f"/api/v1/rotations/{rotation['id']}/oncall-now/").json()
    with time_machine.travel(handoff, tick=False):
        after = client.get(f"/api/v1/rotations/{rotation['id']}/oncall-now/").json()
    assert before["now"]["person"]["id"] != after["now"]["person"]["id"]
    assert parse(before["now"]["end"]) == handoff
    assert before["next"]["person"] == after["now"]["person"]
    assert parse(after["now"]["start"]).astimezone(tz).time() == dt.time(9)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"member_ids": []}, "member_ids", "at least one member"),
        ({"timezone": "Europe/Atlantis"}, "timezone", "not a known time zone"),
        ({"shift_kind": "fortnightly"}, "shift_kind", "is not a valid choice"),
        ({"handoff_time": "25:00"}, "handoff_time", "Time has wrong format"),
        ({"member_ids": [999999]}, "member_ids", "No person with id 999999"),
        ({"name": ""}, "name", "may not be blank"),
    ],
)
def test_bad_rotation_input_is_refused(owner, programme, people, changes, field, message):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/rotations/",
        rotation_body(people, **changes),
        format="json",
    )
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Rotation.objects.exists()


def test_editing_the_order_keeps_last_week_and_tells_each_moved_person_once(
    owner, programme, people
):
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(client, programme, people, start="2026-03-02")
    with time_machine.travel(dt.datetime(2026, 4, 15, 12, tzinfo=UTC), tick=False):
        last_week = (dt.datetime(2026, 4, 6, tzinfo=UTC), dt.datetime(2026, 4, 13, tzinfo=UTC))
        before = schedule(client, rotation["id"], *last_week)
        response = client.patch(
            f"/api/v1/rotations/{rotation['id']}/",
            {"member_ids": [people[2].pk, people[1].pk, people[0].pk]},
            format="json",
        )
        assert response.status_code == 200, response.content
        after = schedule(client, rotation["id"], *last_week)
        # The change waits for the next handoff: 16 April 09:00 London.
        assert parse(response.json()["settings"]["effective_from"]) == dt.datetime(
            2026, 4, 16, 8, tzinfo=UTC
        )
        today = schedule(
            client,
            rotation["id"],
            dt.datetime(2026, 4, 15, 12, tzinfo=UTC),
            dt.datetime(2026, 4, 16, 7, tzinfo=UTC),
        )
    assert after == before
    assert len(today["shifts"]) == 1  # today's shift is untouched
    moved = Notification.objects.filter(kind=ROTATION_CHANGED, channel=Channel.IN_APP)
    # Ben stays in the middle of a three-person cycle: only Ana and Cleo moved.
    assert sorted(n.recipient.name for n in moved) == ["Ana", "Cleo"]


def test_another_programmes_user_is_refused(outsider, owner, programme, people):
    rotation = create(api_client_for(owner), programme, people)
    client = api_client_for(outsider)
    assert client.get(f"/api/v1/rotations/{rotation['id']}/").status_code == 404
    assert client.get(f"/api/v1/rotations/{rotation['id']}/oncall-now/").status_code == 404
    assert (
        client.get(
            f"/api/v1/rotations/{rotation['id']}/schedule/",
            {"start": "2026-03-01T00:00Z", "end": "2026-03-02T00:00Z"},
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/programmes/{programme.slug}/rotations/").status_code == 404
    assert client.get("/api/v1/oncall-now/").json()["results"] == []
    assert client.post(f"/api/v1/rotations/{rotation['id']}/calendar-feeds/").status_code == 404


def test_viewer_cannot_change_rotations(viewer, owner, programme, people):
    rotation = create(api_client_for(owner), programme, people)
    client = api_client_for(viewer)
    assert client.get(f"/api/v1/rotations/{rotation['id']}/").status_code == 200
    assert (
        client.patch(
            f"/api/v1/rotations/{rotation['id']}/", {"name": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/rotations/{rotation['id']}/overrides/",
            {"person_id": people[0].pk, "start": "2026-04-02T10:00Z", "end": "2026-04-02T12:00Z"},
            format="json",
        ).status_code
        == 403
    )


def test_a_started_rotation_keeps_its_start(owner, programme, people):
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(client, programme, people, start="2026-03-02")
    with time_machine.travel(dt.datetime(2026, 3, 10, tzinfo=UTC), tick=False):
        url = f"/api/v1/rotations/{rotation['id']}/"
        same = client.put(
            url, rotation_body(people, start="2026-03-02", name="Renamed"), format="json"
        )
        assert same.status_code == 200, same.content
        moved = client.patch(url, {"start": "2026-03-05"}, format="json")
        assert moved.status_code == 400
        assert "can no longer change" in moved.json()["start"][0]
