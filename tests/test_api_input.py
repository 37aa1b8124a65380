"""The API's input hygiene: what a careless or hostile client sends is refused with a JSON 4xx
that says why, never a 500 and never an echo of the bad bytes."""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from incidents.models import Incident
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

BAD_IDS = ["AAA", "null", "true", "1.5", "-1", "%D9%A1", "%F0%9F%98%80", "1e3"]
METHODS = ["get", "post", "put", "patch", "delete"]


def _api_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every API route that names an object by id, as a path template with `{id}`."""
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver):
            routes.extend(_api_routes(entry, pattern))
        elif isinstance(entry, URLPattern) and pattern.startswith("api/v1/"):
            if "format>" in pattern:
                continue
            template = re.sub(r"\(\?P<slug>[^)]*\)|<slug:slug>", "{slug}", pattern.rstrip("$"))
            template = re.sub(r"\(\?P<\w+>\[0-9\]\+\)|<int:\w+>", "{id}", template)
            if "{id}" in template:
                routes.append("/" + template)
    return routes


def test_every_route_with_an_id_is_covered():
    routes = _api_routes()
    assert "/api/v1/metrics/{id}/" in routes
    assert "/api/v1/notifications/{id}/read/" in routes
    assert "/api/v1/programmes/{slug}/tokens/{id}/" in routes
    assert "/api/v1/incidents/{id}/postmortem/actions/" in routes
    assert "/api/v1/handoffs/{id}/acknowledge/" in routes
    assert len(routes) >= 25


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_an_id_that_is_not_an_integer_is_a_json_404_on_every_route_and_method(
    owner, programme, bad_id
):
    client = api_client_for(owner)
    for template in _api_routes():
        path = template.format(slug=programme.slug, id=bad_id)
        for method in METHODS:
            response = getattr(client, method)(path, {"name": "x"}, format="json")
            assert response.status_code == 404, (method, path, response.status_code)
            assert response.json() == {"detail": "Not found."}, (method, path)


def test_an_unknown_api_path_is_a_json_404(owner):
    response = api_client_for(owner).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.fixture
def alertmanager_url(programme, owner):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/tokens/",
        {"name": "am", "scope": "alertmanager"},
        format="json",
    )
    return f"/api/v1/integrations/alertmanager/{response.json()['token']}/"


def _post_raw(client: APIClient, path: str, body: str):
    return client.generic("POST", path, body.encode(), content_type="application/json")


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_json_nested_too_deep_is_400_everywhere(owner, programme, alertmanager_url, depth):
    body = "[" * depth + "]" * depth
    client = api_client_for(owner)
    for path in (
        "/api/v1/programmes/",
        f"/api/v1/programmes/{programme.slug}/incidents/",
        f"/api/v1/programmes/{programme.slug}/rotations/",
        "/api/v1/people/",
    ):
        response = _post_raw(client, path, body)
        assert response.status_code == 400, path
        assert response.json() == {"detail": "The JSON body nests deeper than 32 levels."}
    webhook = _post_raw(APIClient(), alertmanager_url, body)
    assert webhook.status_code == 400
    assert "nests deeper than 32 levels" in webhook.json()["detail"]


def test_json_nested_within_the_limit_is_read(owner, programme):
    nested: str = '"x"'
    for _ in range(31):
        nested = f"[{nested}]"
    response = _post_raw(
        api_client_for(owner),
        f"/api/v1/programmes/{programme.slug}/incidents/",
        f'{{"title": "Queue stuck", "severity": "sev3", "description": {nested}}}',
    )
    assert response.status_code == 400
    assert "description" in response.json()


CHOICE_FIELDS = [
    ("/api/v1/programmes/{slug}/incidents/", '{"title": "x", "severity": "\\ud800"}'),
    (
        "/api/v1/programmes/{slug}/incidents/",
        '{"title": "x", "severity": "sev3", "harm_category": "\\udfff"}',
    ),
    ("/api/v1/programmes/{slug}/transition/", '{"stage": "\\ud83d", "reason": "why"}'),
    ("/api/v1/programmes/{slug}/tokens/", '{"name": "t", "scope": "\\udc00"}'),
    ("/api/v1/programmes/{slug}/members/", '{"username": "olivia", "role": "\\ud800"}'),
    ("/api/v1/programmes/{slug}/rotations/", '{"name": "R", "shift_kind": "\\ud800"}'),
    ("/api/v1/programmes/", '{"name": "\\ud800x", "stage": "pilot"}'),
    ("/api/v1/programmes/", '{"\\ud800": "key"}'),
]


@pytest.mark.parametrize(("template", "body"), CHOICE_FIELDS)
def test_a_lone_surrogate_is_400_without_echoing_it(owner, programme, template, body):
    response = _post_raw(api_client_for(owner), template.format(slug=programme.slug), body)
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["detail"]
    assert b"\\ud8" not in response.content.lower()
    assert b"\\udc" not in response.content.lower()
    assert b"\\udf" not in response.content.lower()


def test_a_nul_byte_is_400_naming_where(owner, programme):
    response = _post_raw(
        api_client_for(owner),
        f"/api/v1/programmes/{programme.slug}/incidents/",
        '{"title": "Queue\\u0000stuck", "severity": "sev3"}',
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "`title` holds a NUL character (\\u0000), which Keel cannot store."
    }
    assert not Incident.objects.exists()


def _alert(**changes):
    alert = {
        "version": "4",
        "status": "firing",
        "groupKey": "{}:{alertname=Down}",
        "alerts": [{"status": "firing", "labels": {"alertname": "Down", "severity": "critical"}}],
        "commonAnnotations": {"summary": "Claims API down"},
    }
    alert.update(changes)
    return alert


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (_alert(groupKey="{}:\x00"), "`groupKey` holds a NUL character"),
        (
            _alert(commonAnnotations={"summary": "Down\x00"}),
            "`commonAnnotations.summary` holds a NUL character",
        ),
        (
            _alert(alerts=[{"status": "firing", "labels": {"alertname": "Down\x00"}}]),
            "`alerts[0].labels.alertname` holds a NUL character",
        ),
        (
            _alert(alerts=[{"status": "firing", "labels": {"alertname": "\ud800"}}]),
            "`alerts[0].labels.alertname` holds a lone surrogate",
        ),
        (
            _alert(alerts=[{"status": "firing", "labels": {"alertname": "Down", "severity": 5}}]),
            "Alert 1's `labels`: `severity` must be a string, as Alertmanager sends it, not a "
            "number.",
        ),
        (
            _alert(commonLabels={"severity": None}),
            "`commonLabels`: `severity` must be a string, as Alertmanager sends it, not null.",
        ),
    ],
)
def test_an_alertmanager_payload_no_alertmanager_sends_is_400(alertmanager_url, payload, message):
    response = _post_raw(APIClient(), alertmanager_url, json.dumps(payload))
    assert response.status_code == 400, response.content
    assert message in str(response.json())
    assert not Incident.objects.exists()


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_an_oversized_body_is_a_json_413(owner, alertmanager_url, content_type):
    body = b'{"name": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    for client, path in (
        (api_client_for(owner), "/api/v1/programmes/"),
        (APIClient(), alertmanager_url),
    ):
        response = client.generic("POST", path, body, content_type=content_type)
        assert response.status_code == 413, path
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"].startswith("The body is larger than 2,621,440 bytes")
