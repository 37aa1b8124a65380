"""Time off through the API: the gap it makes is offered for cover, and tidied up when withdrawn."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from oncall.jobs import remind_gaps
from oncall.models import (
    CoverRequest,
)
from oncall.notification_kinds import (
    COVER_REQUEST,
)
from programmes.models import Channel, Notification, Role
from tests.conftest import api_client_for
from tests.factories import PersonFactory, member
from tests.oncall.helpers import (
    UTC,
    create,
    schedule,
)

pytestmark = pytest.mark.django_db


def test_time_off_makes_a_gap_asks_for_cover_and_the_owner_hears_once(owner, programme, people):
    programme.programme_owner = PersonFactory(name="Owner")
    programme.stage = "pilot"
    programme.save()
    people[1].user = member(programme, Role.VIEWER, username="ben")
    people[1].save()
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(api_client_for(owner), programme, people, start="2026-03-02")
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        away = api_client_for(people[1].user).post(
            "/api/v1/time-off/",
            {"start": "2026-03-03T00:00Z", "end": "2026-03-05T00:00Z", "note": "Dentist"},
            format="json",
        )
        assert away.status_code == 201, away.content
        found = schedule(
            api_client_for(owner),
            rotation["id"],
            dt.datetime(2026, 3, 3, 9, tzinfo=UTC),
            dt.datetime(2026, 3, 4, 9, tzinfo=UTC),
        )
        assert [g["planned_person"]["name"] for g in found["gaps"]] == ["Ben"]
        cover = CoverRequest.objects.get()
        assert cover.requester == people[1]
        asked = Notification.objects.filter(kind=COVER_REQUEST, channel=Channel.IN_APP)
        assert sorted(n.recipient.name for n in asked) == ["Ana", "Cleo"]
        assert remind_gaps(timezone.now()) == 2  # in-app and email to the owner
        assert remind_gaps(timezone.now()) == 0

        people[2].user = member(programme, Role.VIEWER, username="cleo")
        people[2].save()
        accepted = api_client_for(people[2].user).post(f"/api/v1/cover-requests/{cover.pk}/accept/")
        assert accepted.status_code == 200
        assert accepted.json()["status"] == "accepted"
        covered = schedule(
            api_client_for(owner),
            rotation["id"],
            dt.datetime(2026, 3, 3, 9, tzinfo=UTC),
            dt.datetime(2026, 3, 4, 9, tzinfo=UTC),
        )
    assert covered["gaps"] == []
    assert {s["person"]["name"] for s in covered["shifts"]} == {"Cleo"}


def test_withdrawn_time_off_and_removed_cover_are_tidied_up(owner, programme, people):
    people[1].user = member(programme, Role.VIEWER, username="ben")
    people[1].save()
    people[2].user = member(programme, Role.VIEWER, username="cleo")
    people[2].save()
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        create(api_client_for(owner), programme, people, start="2026-03-02")
        ben = api_client_for(people[1].user)
        away = {"start": "2026-03-03T00:00Z", "end": "2026-03-05T00:00Z"}
        first = ben.post("/api/v1/time-off/", away, format="json").json()
        again = ben.post("/api/v1/time-off/", away, format="json")
        assert again.status_code == 400
        assert "overlaps your time off" in again.json()["start"][0]
        past = ben.post(
            "/api/v1/time-off/",
            {"start": "2026-02-01T00:00Z", "end": "2026-02-02T00:00Z"},
            format="json",
        )
        assert "already over" in past.json()["end"][0]

        cover = CoverRequest.objects.get()
        api_client_for(people[2].user).post(f"/api/v1/cover-requests/{cover.pk}/accept/")
        cover.refresh_from_db()
        assert cover.status == "accepted"
        removed = api_client_for(owner).delete(f"/api/v1/overrides/{cover.override_id}/")
        assert removed.status_code == 204
        cover.refresh_from_db()
        assert (cover.status, cover.accepted_by) == ("open", None)

        assert ben.delete(f"/api/v1/time-off/{first['id']}/").status_code == 204
        cover.refresh_from_db()
        assert cover.status == "cancelled"
