"""Dates at the edge of the calendar: refused when they enter, harmless when already stored."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from oncall import services
from oncall.models import CoverRequest, Override, Rotation, RotationVersion, TimeOff
from programmes.models import Role
from programmes.registry.jobs import run_due_jobs
from programmes.rules import access_for
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=UTC)
LAST_SECOND = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _december_2026():
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(user) -> Client:
    """Signed in as ``user``, who reads times in Tokyo: east of UTC, where 9999-12-31 23:59 UTC
    is already past the last day of the calendar."""
    PersonFactory(user=user, timezone="Asia/Tokyo")
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def team(programme):
    """A working weekly rotation, so a broken one next to it cannot hide behind an empty page."""
    people = [PersonFactory(name=name) for name in ("Ana", "Ben")]
    services.create_rotation(
        actor=None,
        programme=programme,
        access=OWNER,
        name="Primary",
        start=dt.date(2026, 11, 2),
        member_ids=[p.pk for p in people],
        timezone_name="Europe/London",
        shift_kind="weekly",
    )
    return people


def stored_far_rotation(programme, people, *, shift_kind, timezone, at):
    """A rotation as an unbounded API used to store it: starting at the end of time."""
    rotation = Rotation.objects.create(programme=programme, name=f"Far {shift_kind} {timezone}")
    RotationVersion.objects.create(
        rotation=rotation,
        effective_from=at,
        anchor=at,
        timezone=timezone,
        shift_kind=shift_kind,
        shift_hours=12,
        handoff_time=dt.time(9, 0),
        handoff_weekday=4,
        member_ids=[p.pk for p in people],
    )
    return rotation


@pytest.fixture(
    params=[
        ("daily", "Europe/London", dt.datetime(9999, 12, 31, 9, tzinfo=UTC)),
        ("weekly", "Pacific/Kiritimati", dt.datetime(9999, 12, 30, 19, tzinfo=UTC)),
        ("hours", "America/New_York", dt.datetime(9999, 12, 31, 14, tzinfo=UTC)),
        ("daily", "America/Los_Angeles", dt.datetime(1, 1, 1, 3, tzinfo=UTC)),
    ],
    ids=["daily", "weekly-east", "hours-west", "year-one"],
)
def far_rotation(request, programme, team):
    shift_kind, timezone, at = request.param
    return stored_far_rotation(programme, team, shift_kind=shift_kind, timezone=timezone, at=at)


@pytest.fixture
def alertmanager_url(programme, owner):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/tokens/",
        {"name": "am", "scope": "alertmanager"},
        format="json",
    )
    return f"/api/v1/integrations/alertmanager/{response.json()['token']}/"


ALERT = {
    "version": "4",
    "status": "firing",
    "groupKey": "{}:{alertname=Down}",
    "alerts": [{"status": "firing", "labels": {"alertname": "Down", "severity": "critical"}}],
}


def test_a_stored_rotation_at_the_end_of_time_breaks_nothing(
    far_rotation, programme, owner, leader, staff, alertmanager_url
):
    for user in (owner, leader, staff):
        answer = api_client_for(user).get("/api/v1/oncall-now/")
        assert answer.status_code == 200, answer.content
        names = {row["rotation"]["name"]: row for row in answer.json()["results"]}
        assert names["Primary"]["now"]["person"]["name"] in {"Ana", "Ben"}
    client = api_client_for(owner)
    for path in (
        f"/api/v1/rotations/{far_rotation.pk}/",
        f"/api/v1/rotations/{far_rotation.pk}/oncall-now/",
        f"/api/v1/rotations/{far_rotation.pk}/schedule/?start=2026-12-01T00:00Z&end=2027-01-01T00:00Z",
        f"/api/v1/programmes/{programme.slug}/rotations/",
    ):
        assert client.get(path).status_code == 200, path
    page = signed_in(owner)
    for path in (
        "/programmes/",
        f"/programmes/{programme.slug}/",
        f"/programmes/{programme.slug}/oncall/",
        f"/oncall/{far_rotation.pk}/",
        f"/oncall/{far_rotation.pk}/handoff/",
        f"/oncall/{far_rotation.pk}/edit/",
    ):
        assert page.get(path).status_code == 200, path
    opened = client.post(
        f"/api/v1/programmes/{programme.slug}/incidents/",
        {"title": "Claims stuck", "severity": "sev2"},
        format="json",
    )
    assert opened.status_code == 201, opened.content
    assert opened.json()["responder"]["name"] in {"Ana", "Ben"}
    paged = APIClient().post(alertmanager_url, ALERT, format="json")
    assert paged.status_code == 200, paged.content
    assert min(run_due_jobs(NOW).values()) >= 0, "a reminder job failed"


@pytest.mark.parametrize("model", [CoverRequest, Override, TimeOff])
def test_a_stored_period_ending_at_the_end_of_time_breaks_nothing(model, programme, owner, team):
    rotation = Rotation.objects.get(name="Primary")
    start = NOW + dt.timedelta(days=1)
    if model is TimeOff:
        TimeOff.objects.create(person=team[0], start=start, end=LAST_SECOND)
    elif model is Override:
        Override.objects.create(rotation=rotation, person=team[1], start=start, end=LAST_SECOND)
    else:
        CoverRequest.objects.create(
            rotation=rotation, requester=team[0], start=start, end=LAST_SECOND
        )
    page = signed_in(owner)
    for path in (
        f"/programmes/{programme.slug}/oncall/",
        f"/oncall/{rotation.pk}/",
        f"/oncall/{rotation.pk}/handoff/",
        "/oncall/time-off/",
    ):
        answer = page.get(path)
        assert answer.status_code == 200, path
        if model is not TimeOff and path == f"/oncall/{rotation.pk}/":
            # Tokyo's clock cannot show it; UTC's can, and the page says which clock it is.
            assert "Fri 31 Dec 9999 23:59 UTC" in answer.content.decode()
    client = api_client_for(owner)
    for path in (
        "/api/v1/oncall-now/",
        f"/api/v1/rotations/{rotation.pk}/cover-requests/",
        f"/api/v1/rotations/{rotation.pk}/overrides/",
        "/api/v1/time-off/",
        f"/api/v1/rotations/{rotation.pk}/schedule/?start=2036-11-01T00:00Z&end=2036-12-01T00:00Z",
    ):
        assert client.get(path).status_code == 200, path
    assert min(run_due_jobs(NOW).values()) >= 0, "a reminder job failed"


def test_a_rotation_starting_past_the_window_is_refused_on_the_api_and_the_page(
    programme, owner, team
):
    body = {
        "name": "Far",
        "timezone": "Europe/London",
        "shift_kind": "weekly",
        "handoff_time": "09:00",
        "start": "9999-12-31",
        "member_ids": [p.pk for p in team],
    }
    refused = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/rotations/", body, format="json"
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "start": [
            "Give a date between 30 Nov 2025 and 01 Dec 2036 (from a year ago to ten years "
            "ahead); 31 Dec 9999 is outside that."
        ]
    }
    page = signed_in(owner).post(
        f"/programmes/{programme.slug}/oncall/new/",
        {
            "name": "Far",
            "level": "primary",
            "timezone": "Europe/London",
            "shift_kind": "weekly",
            "shift_hours": 12,
            "handoff_time": "09:00",
            "handoff_weekday": 0,
            "start": "0001-01-01",
            "member_1": team[0].pk,
        },
    )
    assert page.status_code == 400
    assert "from a year ago to ten years ahead" in page.content.decode()
    assert 'value="0001-01-01"' in page.content.decode()
    assert not Rotation.objects.filter(name="Far").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("end", "9999-12-31T23:59:59Z"), ("start", "2037-01-01T00:00:00Z")],
)
def test_overrides_cover_and_time_off_past_the_window_are_refused(
    programme, owner, team, field, value
):
    rotation = Rotation.objects.get(name="Primary")
    PersonFactory(user=owner, timezone="Europe/London")
    team_member = team[0]
    times = {"start": "2026-12-02T09:00:00Z", "end": "2026-12-03T09:00:00Z", field: value}
    if field == "start":
        times["end"] = "2037-01-02T00:00:00Z"
    client = api_client_for(owner)
    for path, body in (
        (f"/api/v1/rotations/{rotation.pk}/overrides/", {"person_id": team_member.pk}),
        (f"/api/v1/rotations/{rotation.pk}/cover-requests/", {"requester_id": team_member.pk}),
        ("/api/v1/time-off/", {}),
    ):
        answer = client.post(path, {**body, **times}, format="json")
        assert answer.status_code == 400, (path, answer.content)
        assert "from a year ago to ten years ahead" in answer.json()[field][0], path
    assert not Override.objects.exists()
    assert not CoverRequest.objects.exists()
    assert not TimeOff.objects.exists()


def test_query_times_past_a_hundred_years_are_refused(programme, owner, team):
    rotation = Rotation.objects.get(name="Primary")
    client = api_client_for(owner)
    far_schedule = client.get(
        f"/api/v1/rotations/{rotation.pk}/schedule/",
        {"start": "9999-12-30T00:00:00Z", "end": "9999-12-31T00:00:00Z"},
    )
    assert far_schedule.status_code == 400
    assert "a hundred years" in far_schedule.json()["start"][0]
    measures = client.get(
        f"/api/v1/programmes/{programme.slug}/incident-measures/",
        {"until": "0001-01-02T00:00:00Z"},
    )
    assert measures.status_code == 400
    assert "a hundred years" in measures.json()["until"][0]


def test_a_postmortem_action_due_past_the_window_is_refused(programme, owner, team):
    client = api_client_for(owner)
    incident = client.post(
        f"/api/v1/programmes/{programme.slug}/incidents/",
        {"title": "Claims stuck", "severity": "sev3"},
        format="json",
    ).json()
    client.post(f"/api/v1/incidents/{incident['id']}/postmortem/")
    answer = client.post(
        f"/api/v1/incidents/{incident['id']}/postmortem/actions/",
        {"title": "Add an alert", "owner_id": team[0].pk, "due_on": "9999-12-31"},
        format="json",
    )
    assert answer.status_code == 400
    assert "from a year ago to ten years ahead" in answer.json()["due_on"][0]
