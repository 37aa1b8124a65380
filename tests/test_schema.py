import datetime as dt

import pytest
import schemathesis
import time_machine
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from incidents.models import Incident
from oncall import services
from oncall.models import Handoff
from programmes.models import ApiToken, Role
from programmes.rules import access_for
from tests.factories import MetricFactory, PersonFactory, leadership_user


@pytest.mark.django_db
def test_the_openapi_schema_is_valid_and_generates_without_warnings(tmp_path):
    schema_file = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))
    text = schema_file.read_text()
    assert text.startswith("openapi: 3")
    assert "/api/v1/programmes/{slug}/transition/" in text
    assert "/api/v1/auth/token/" in text


@pytest.mark.django_db
def test_the_schema_is_served(admin_client):
    response = admin_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


@pytest.fixture
def served_schema(db):
    """The schema as /api/schema/ serves it, with calls going to Keel's WSGI app in-process.
    As in Django's test client, requests leave the test's database connection open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _conforms(schema, key, path, method="GET", **case):
    """Calls the operation (as the token ``key``, or anonymously for None) and checks the
    answer's status, content type and body against the schema; returns the body."""
    operation = schema[path][method]
    headers = {"Authorization": f"Token {key}"} if key else {}
    made = operation.Case(headers=headers, **case)
    response = made.call()
    made.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
    return response.json()


def test_answers_with_nulls_blanks_and_local_times_match_the_schema(
    served_schema, owner, programme
):
    """What the fuzzer found the schema wrong about: owners not named (null), an unacknowledged
    handoff, blank choices and URLs, times of day."""
    _, key = ApiToken.issue(owner)
    people = [PersonFactory(name=name) for name in ("Ana", "Ben")]
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), tick=False):
        rotation = services.create_rotation(
            actor=None,
            programme=programme,
            access=access_for(role=Role.OWNER, is_staff=False, is_leadership=False),
            name="Primary",
            start=dt.date(2026, 11, 2),
            member_ids=[p.pk for p in people],
            timezone_name="Europe/London",
            shift_kind="daily",
        )
    handoff = Handoff.objects.create(rotation=rotation, starts_at=timezone.now())
    incident = Incident.objects.create(
        programme=programme, title="Stuck", severity="sev3", opened_at=timezone.now()
    )
    assert programme.executive_sponsor is None
    assert rotation.runbook_url == ""
    slug = {"slug": programme.slug}
    detail = _conforms(served_schema, key, "/api/v1/programmes/{slug}/", path_parameters=slug)
    assert detail["executive_sponsor"] is None
    _conforms(served_schema, key, "/api/v1/programmes/")
    rotation_body = _conforms(
        served_schema, key, "/api/v1/rotations/{id}/", path_parameters={"id": rotation.pk}
    )
    assert rotation_body["settings"]["handoff_time"] == "09:00"
    handoff_body = _conforms(
        served_schema, key, "/api/v1/handoffs/{id}/", path_parameters={"id": handoff.pk}
    )
    assert handoff_body["acknowledged_by"] is None
    incident_body = _conforms(
        served_schema,
        key,
        "/api/v1/incidents/{incident_id}/",
        path_parameters={"incident_id": incident.pk},
    )
    assert incident_body["harm_category"] == incident_body["serious_kind"] == ""


def test_error_answers_are_in_the_schema(served_schema, owner, programme):
    _, key = ApiToken.issue(owner)
    missing = _conforms(served_schema, key, "/api/v1/metrics/{id}/", path_parameters={"id": 999})
    assert set(missing) == {"detail"}
    refused = _conforms(
        served_schema,
        key,
        "/api/v1/programmes/{slug}/incidents/",
        method="POST",
        path_parameters={"slug": programme.slug},
        body={"title": "", "severity": "sev9"},
        media_type="application/json",
    )
    assert set(refused) == {"title", "severity"}
    page_past_the_end = _conforms(served_schema, key, "/api/v1/programmes/", query={"page": 99})
    assert page_past_the_end == {"detail": "Invalid page."}


def test_acknowledgements_for_someone_ingest_conflicts_and_new_refusals_match_the_schema(
    served_schema, owner, programme
):
    """What main's issue 9 and 10 added to the API: a handoff acknowledged for someone else,
    measurements whose run id is recorded with another value, a person's details refused, and a
    token endpoint locked after too many wrong passwords."""
    _, key = ApiToken.issue(owner)
    ben = PersonFactory(name="Ben")
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), tick=False):
        rotation = services.create_rotation(
            actor=None,
            programme=programme,
            access=access_for(role=Role.OWNER, is_staff=False, is_leadership=False),
            name="Primary",
            start=dt.date(2026, 11, 2),
            member_ids=[ben.pk],
            timezone_name="Europe/London",
            shift_kind="daily",
        )
    handoff = Handoff.objects.create(rotation=rotation, starts_at=timezone.now(), incoming=ben)
    acknowledge = "/api/v1/handoffs/{id}/acknowledge/"
    on_behalf = {"path_parameters": {"id": handoff.pk}, "media_type": "application/json"}
    no_reason = _conforms(
        served_schema, key, acknowledge, "POST", body={"on_behalf": True}, **on_behalf
    )
    assert no_reason == {"reason": ["Say why you acknowledge for Ben."]}
    as_himself = _conforms(served_schema, key, acknowledge, "POST", body={}, **on_behalf)
    assert "Only Ben, the incoming engineer" in as_himself["detail"]
    acknowledged = _conforms(
        served_schema,
        key,
        acknowledge,
        "POST",
        body={"on_behalf": True, "reason": "Ben's phone died"},
        **on_behalf,
    )
    assert acknowledged["acknowledged_on_behalf"] is True
    assert acknowledged["acknowledgement"].endswith(": Ben's phone died")

    metric = MetricFactory(programme=programme)
    batch = [{"value": "71", "measured_at": "2026-11-30T09:00:00Z", "external_id": "run-1"}]
    measurements = {"path_parameters": {"id": metric.pk}, "media_type": "application/json"}
    path = "/api/v1/metrics/{id}/measurements/"
    _conforms(served_schema, key, path, "POST", body=batch, **measurements)
    conflicting = [{**batch[0], "value": "72"}]
    answer = _conforms(served_schema, key, path, "POST", body=conflicting, **measurements)
    assert answer["created"] == 0
    assert answer["conflicts"][0]["existing_value"] == "71.000000"

    leader = PersonFactory(name="Lena Leader", user=leadership_user())
    refused = _conforms(
        served_schema,
        key,
        "/api/v1/people/{id}/",
        "PATCH",
        path_parameters={"id": leader.pk},
        body={"email": "olivia@example.com"},
        media_type="application/json",
    )
    assert set(refused) == {"detail"}

    wrong = {"username": owner.username, "password": "not the password"}
    token = {"body": wrong, "media_type": "application/json"}
    for _ in range(10):
        _conforms(served_schema, None, "/api/v1/auth/token/", "POST", **token)
    locked = _conforms(served_schema, None, "/api/v1/auth/token/", "POST", **token)
    assert locked["detail"].startswith("Too many failed logins")
