import json
import logging
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from pythonjsonlogger.json import JsonFormatter

from programmes.request_id import RequestIdLogFilter

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_runs():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_broker():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checked"] == ["database", "broker"]


def test_readyz_names_the_broker_when_it_does_not_answer(settings):
    # Port 9 on loopback has no listener: the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert set(body["failed"]) == {"broker"}


def test_every_response_carries_a_request_id():
    response = Client().get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    echoed = Client().get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert echoed["X-Request-ID"] == "abc-123"
    unsafe = Client().get("/healthz", HTTP_X_REQUEST_ID="evil\nheader value")
    assert unsafe["X-Request-ID"] != "evil\nheader value"


def test_requests_are_logged_as_json_lines_with_the_request_id(caplog):
    formatters: Any = settings.LOGGING["formatters"]
    json_config = formatters["json"]
    formatter = JsonFormatter(json_config["fmt"], rename_fields=json_config["rename_fields"])
    with caplog.at_level(logging.INFO, logger="keel.request"):
        Client().get("/healthz", HTTP_X_REQUEST_ID="trace-42")
    record = next(r for r in caplog.records if r.name == "keel.request")
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "trace-42"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert RequestIdLogFilter().filter(record)


def test_api_docs_are_served_with_local_assets(admin_client):
    response = admin_client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower()
    asset = Client().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_htmx_is_served_locally(admin_client):
    body = admin_client.get("/programmes/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in body
    assert Client().get("/static/django_htmx/htmx-2.min.js").status_code == 200


def test_webhook_tokens_never_reach_the_log(client, caplog, db):
    import logging

    from programmes.request_id import RequestIdLogFilter

    caplog.handler.addFilter(RequestIdLogFilter())
    with caplog.at_level(logging.INFO):
        client.post(
            "/api/v1/integrations/alertmanager/secret-token-123/",
            {},
            content_type="application/json",
        )
    logged = " ".join(
        f"{record.getMessage()} {getattr(record, 'path', '')} {getattr(record, 'request', '')}"
        for record in caplog.records
    )
    assert "secret-token-123" not in logged
    assert "/api/v1/integrations/alertmanager/…/" in logged
