"""Serious incidents: the reporting clock starts, and stops when the report is recorded."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from incidents.jobs import remind_report_deadlines
from tests.conftest import api_client_for
from tests.factories import PersonFactory
from tests.incidents.helpers import UTC, open_sev1

pytestmark = pytest.mark.django_db


def test_serious_incident_starts_a_reporting_clock(owner, programme):
    programme.risk_owner = PersonFactory(name="Rita Risk")
    programme.save()
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        incident = open_sev1(client, programme)
        marked = client.post(
            f"/api/v1/incidents/{incident['id']}/serious/", {"kind": "widespread"}, format="json"
        )
        assert marked.status_code == 200
        assert marked.json()["report_due_at"] == "2026-11-27T12:00:00Z"
        assert marked.json()["report_due_in_hours"] == 48.0
        bad = client.post(
            f"/api/v1/incidents/{incident['id']}/serious/", {"kind": "meh"}, format="json"
        )
        assert bad.status_code == 400
    for moment, expected in (
        (dt.datetime(2026, 11, 26, 11, 59, tzinfo=UTC), 0),
        (dt.datetime(2026, 11, 26, 12, 0, tzinfo=UTC), 4),  # half-time and a day before, both due
        (dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC), 0),
    ):
        with time_machine.travel(moment, tick=False):
            assert remind_report_deadlines(timezone.now()) == expected


def test_recording_the_report_stops_the_clock(owner, viewer, programme):
    client = api_client_for(owner)
    incident = open_sev1(client, programme)
    url = f"/api/v1/incidents/{incident['id']}/reported/"
    not_serious = client.post(url)
    assert not_serious.status_code == 400
    assert "Only a serious incident" in not_serious.json()["non_field_errors"][0]
    client.post(f"/api/v1/incidents/{incident['id']}/serious/", {"kind": "death"}, format="json")
    assert api_client_for(viewer).post(url).status_code == 403
    reported = client.post(url)
    assert reported.status_code == 200
    assert reported.json()["reported_at"]
    assert reported.json()["report_due_in_hours"] is None
    assert client.post(url).status_code == 400
