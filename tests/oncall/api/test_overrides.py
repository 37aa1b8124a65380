"""Overrides through the API: bounded, never overlapping, moved, never in the past."""

import datetime as dt

import pytest
import time_machine

from oncall.models import (
    Override,
)
from tests.conftest import api_client_for
from tests.oncall.helpers import (
    UTC,
    create,
    parse,
    schedule,
)

pytestmark = pytest.mark.django_db


def test_overrides_must_end_after_they_start_and_never_overlap(owner, programme, people, mid_march):
    client = api_client_for(owner)
    rotation = create(client, programme, people)
    url = f"/api/v1/rotations/{rotation['id']}/overrides/"
    backwards = client.post(
        url,
        {"person_id": people[0].pk, "start": "2026-04-02T10:00Z", "end": "2026-04-02T09:00Z"},
        format="json",
    )
    assert backwards.status_code == 400
    assert "end must come after the start" in backwards.json()["end"][0]
    first = client.post(
        url,
        {"person_id": people[0].pk, "start": "2026-04-02T10:00Z", "end": "2026-04-02T18:00Z"},
        format="json",
    )
    assert first.status_code == 201
    overlapping = client.post(
        url,
        {"person_id": people[1].pk, "start": "2026-04-02T17:00Z", "end": "2026-04-03T09:00Z"},
        format="json",
    )
    assert overlapping.status_code == 400
    assert "overlaps Ana's override" in overlapping.json()["start"][0]
    assert Override.objects.count() == 1

    found = schedule(
        client,
        rotation["id"],
        dt.datetime(2026, 4, 2, 8, tzinfo=UTC),
        dt.datetime(2026, 4, 2, 20, tzinfo=UTC),
    )
    # 2 April is Cleo's day (the 33rd day of a three-person daily rotation from 1 March).
    assert [(s["person"]["name"], s["source"]) for s in found["shifts"]] == [
        ("Cleo", "rotation"),
        ("Ana", "override"),
        ("Cleo", "rotation"),
    ]


def test_override_can_be_moved_but_not_onto_another(owner, programme, people, mid_march):
    client = api_client_for(owner)
    rotation = create(client, programme, people)
    url = f"/api/v1/rotations/{rotation['id']}/overrides/"
    first = client.post(
        url,
        {"person_id": people[0].pk, "start": "2026-04-02T10:00Z", "end": "2026-04-02T12:00Z"},
        format="json",
    ).json()
    client.post(
        url,
        {"person_id": people[1].pk, "start": "2026-04-03T10:00Z", "end": "2026-04-03T12:00Z"},
        format="json",
    )
    moved = client.patch(
        f"/api/v1/overrides/{first['id']}/", {"end": "2026-04-02T14:00Z"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["end"] == "2026-04-02T14:00:00Z"
    onto = client.patch(
        f"/api/v1/overrides/{first['id']}/",
        {"start": "2026-04-03T09:00Z", "end": "2026-04-03T11:00Z"},
        format="json",
    )
    assert onto.status_code == 400
    assert "overlaps Ben's override" in onto.json()["start"][0]


def test_a_period_already_under_way_starts_now_and_the_past_stays(owner, programme, people):
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(client, programme, people, start="2026-03-02")
    now = dt.datetime(2026, 3, 10, 12, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        past_hour = (now - dt.timedelta(hours=1), now)
        before = schedule(client, rotation["id"], *past_hour)
        made = client.post(
            f"/api/v1/rotations/{rotation['id']}/overrides/",
            {
                "person_id": people[2].pk,
                "start": "2026-03-10T09:00Z",
                "end": "2026-03-10T18:00Z",
            },
            format="json",
        )
        assert made.status_code == 201
        assert parse(made.json()["start"]) == now
        assert schedule(client, rotation["id"], *past_hour) == before
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False):
        moved = client.patch(
            f"/api/v1/overrides/{made.json()['id']}/",
            {"start": "2026-03-10T14:00Z"},
            format="json",
        )
        assert moved.status_code == 400
        assert "has begun" in moved.json()["start"][0]
        shorter = client.patch(
            f"/api/v1/overrides/{made.json()['id']}/", {"end": "2026-03-10T15:00Z"}, format="json"
        )
        assert shorter.status_code == 200
