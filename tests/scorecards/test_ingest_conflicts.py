"""A run id sent again with another value is a conflict, reported with both values (API, CSV and
the page's form); the stored value stays. The same run with the same value is skipped silently."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from programmes.models import AuditEvent
from scorecards.models import Measurement
from tests.conftest import api_client_for
from tests.factories import MetricFactory

pytestmark = pytest.mark.django_db
WHEN = "2026-11-20T09:00:00Z"


@pytest.fixture
def metric(programme):
    metric = MetricFactory(programme=programme, name="Routing accuracy")
    Measurement.objects.create(
        metric=metric, value=Decimal("0.82"), measured_at=timezone.now(), external_id="run-1"
    )
    return metric


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_lists_each_conflict_with_both_values(owner, metric):
    batch = [
        {"value": "0.82", "measured_at": WHEN, "external_id": "run-1"},
        {"value": "0.9", "measured_at": WHEN, "external_id": "run-2"},
        {"value": "0.85", "measured_at": WHEN, "external_id": "run-1"},
        {"value": "0.91", "measured_at": WHEN, "external_id": "run-2"},
    ]
    response = api_client_for(owner).post(
        f"/api/v1/metrics/{metric.pk}/measurements/", batch, format="json"
    )
    assert response.status_code == 201
    assert response.json() == {
        "created": 1,
        "existing": 1,
        "conflicts": [
            {"index": 2, "external_id": "run-1", "value": "0.850000", "existing_value": "0.820000"},
            {"index": 3, "external_id": "run-2", "value": "0.910000", "existing_value": "0.900000"},
        ],
    }
    stored = dict(metric.measurements.values_list("external_id", "value"))
    assert stored == {"run-1": Decimal("0.82"), "run-2": Decimal("0.9")}
    event = AuditEvent.objects.get(action="record_measurements")
    assert event.after["conflicts"] == 2


def test_the_same_run_with_the_same_value_stays_a_silent_skip(owner, metric):
    response = api_client_for(owner).post(
        f"/api/v1/metrics/{metric.pk}/measurements/",
        [{"value": "0.820", "measured_at": WHEN, "external_id": "run-1"}],
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"created": 0, "existing": 1, "conflicts": []}


def test_the_csv_report_lists_conflicting_rows_and_imports_the_rest(owner, metric):
    content = (
        b"value,measured_at,external_id\n"
        b"0.82,2026-11-20T09:00:00Z,run-1\n"
        b"0.88,2026-11-21T09:00:00Z,run-1\n"
        b"0.86,2026-11-22T09:00:00Z,run-3\n"
    )
    url = f"/programmes/{metric.programme.slug}/scorecard/metrics/{metric.pk}/upload/"
    response = _signed_in(owner).post(url, {"file": SimpleUploadedFile("runs.csv", content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 measurement(s) imported; 1 were already there." in html
    assert "Line 3: run id “run-1” is recorded as 0.82; this file says 0.88." in html
    assert metric.measurements.count() == 2
    assert metric.measurements.get(external_id="run-1").value == Decimal("0.82")


def test_the_measurement_form_refuses_a_conflicting_run_id(owner, metric):
    url = f"/programmes/{metric.programme.slug}/scorecard/metrics/{metric.pk}/measurements/"
    when = (timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = _signed_in(owner).post(
        url, {"value": "0.9", "measured_at": when, "external_id": "run-1"}
    )
    assert response.status_code == 400
    assert (
        "Run id “run-1” is already recorded with the value 0.82, not 0.9; the recorded value "
        "stays." in response.content.decode()
    )
    assert metric.measurements.count() == 1
