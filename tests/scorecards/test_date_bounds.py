"""Scorecard dates outside the documented window are refused with a field message."""

import datetime as dt

import pytest
import time_machine

from scorecards.models import Measurement, Metric
from tests.conftest import api_client_for
from tests.factories import MetricFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
WINDOW = "from ten years ago to ten years ahead"


@pytest.fixture(autouse=True)
def _december_2026():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def metric(programme):
    return MetricFactory(programme=programme, name="Routing accuracy")


def test_a_measurement_from_before_the_window_is_refused(owner, metric):
    response = api_client_for(owner).post(
        f"/api/v1/metrics/{metric.pk}/measurements/",
        [
            {"value": "80", "measured_at": "2026-11-30T10:00:00Z"},
            {"value": "81", "measured_at": "0001-01-01T00:00:00Z"},
        ],
        format="json",
    )
    assert response.status_code == 400
    assert WINDOW in response.json()["1"]["measured_at"][0]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("target_date", "9999-12-31"), ("baseline_date", "1900-01-01"), ("agreed_on", "2099-01-01")],
)
def test_metric_dates_outside_the_window_are_refused(owner, programme, field, value):
    body = {
        "name": "Accuracy",
        "unit": "%",
        "is_headline": True,
        "direction": "higher",
        "baseline_value": "70",
        "baseline_date": "2026-01-01",
        "target_value": "90",
        "target_date": "2027-06-30",
        field: value,
    }
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/metrics/", body, format="json"
    )
    assert response.status_code == 400
    assert WINDOW in response.json()[field][0]
    assert not Metric.objects.exists()


def test_a_promoted_baseline_from_the_year_one_is_refused(owner, metric):
    response = api_client_for(owner).post(
        f"/api/v1/metrics/{metric.pk}/promote-baseline/",
        {"value": "72", "baseline_date": "0001-01-01", "reason": "New golden set"},
        format="json",
    )
    assert response.status_code == 400
    assert WINDOW in response.json()["baseline_date"][0]


def test_a_metric_with_an_old_stored_date_can_still_be_renamed(owner, programme):
    old = MetricFactory(programme=programme, baseline_date=dt.date(2012, 1, 1))
    response = api_client_for(owner).patch(
        f"/api/v1/metrics/{old.pk}/", {"name": "Routing accuracy (v2)"}, format="json"
    )
    assert response.status_code == 200, response.content
