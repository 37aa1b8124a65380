"""The metric form: every refusal at once, and no field shown that cannot be filled in."""

import re

import pytest
from django.test import Client

from scorecards.models import Metric
from tests.conftest import api_client_for
from tests.factories import MetricFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Routing accuracy",
    "unit": "%",
    "kind": "evaluation",
    "is_headline": "on",
    "direction": "higher",
    "baseline_value": "72",
    "baseline_date": "2026-06-01",
    "target_value": "90",
    "target_date": "2027-03-31",
    "regression_tolerance": "1",
    "regression_window": "5",
    "staleness_days": "14",
    "amber_margin": "15",
}


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _field_errors(response) -> dict[str, list[str]]:
    """Each field's errors on the re-rendered form, by the field's input name."""
    errors: dict[str, list[str]] = {}
    html = response.content.decode()
    for block in re.findall(r'<div class="field invalid">.*?</div>', html, re.S):
        name = re.search(r'name="([^"]+)"', block).group(1)
        errors[name] = re.findall(r'class="field-error" role="alert">([^<]*)<', block)
    return errors


def test_every_refused_field_is_reported_in_one_submit(owner, programme):
    data = {
        **VALID,
        "target_value": "60",
        "target_date": "2026-03-31",
        "regression_tolerance": "-1",
        "regression_window": "99",
    }
    response = _signed_in(owner).post(f"/programmes/{programme.slug}/scorecard/metrics/new/", data)
    assert response.status_code == 400
    errors = _field_errors(response)
    assert set(errors) == {
        "target_value",
        "target_date",
        "regression_tolerance",
        "regression_window",
    }
    assert "must be better than the baseline" in errors["target_value"][0]
    assert "must come after the baseline date" in errors["target_date"][0]
    assert 'value="-1"' in response.content.decode()
    assert not Metric.objects.exists()


def test_the_api_reports_every_refused_rule_too(owner, programme):
    data = {**VALID, "is_headline": True, "target_value": "60", "target_date": "2026-03-31"}
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/metrics/", data, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"target_value", "target_date"}


def test_the_new_metric_form_shows_no_reason_it_cannot_take(owner, programme):
    url = f"/programmes/{programme.slug}/scorecard/metrics/new/"
    html = _signed_in(owner).get(url).content.decode()
    assert 'type="hidden" name="reason"' in html
    assert '<label for="id_reason">' not in html


def test_an_agreed_metric_asks_for_a_reason_beside_its_input(owner, programme):
    metric = MetricFactory(programme=programme, agreed_on="2026-01-05")
    url = f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/edit/"
    html = _signed_in(owner).get(url).content.decode()
    assert re.search(r'<label for="id_reason">Reason</label>\s*<textarea name="reason"', html)
