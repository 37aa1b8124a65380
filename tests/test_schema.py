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
from oncall import services
from oncall.models import Handoff, Incident
from programmes.models import ApiToken, Role
from programmes.rules import access_for
from tests.factories import PersonFactory


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
    """Calls the operation and checks the answer's status, content type and body against the
    schema; returns the body."""
    operation = schema[path][method]
    made = operation.Case(headers={"Authorization": f"Token {key}"}, **case)
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
