import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from programmes.models import (
    AuditEvent,
    ProgrammeToken,
)
from scorecards.models import Measurement, Metric
from tests.conftest import log_in
from tests.factories import PASSWORD, MetricFactory, measure

pytestmark = pytest.mark.django_db


HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(user) -> Client:
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def metric(programme):
    return MetricFactory(programme=programme, name="Routing accuracy")


def test_scorecard_renders_the_demo_data_with_charts():
    call_command("load_demo", stdout=None)
    client = Client()
    assert log_in(client, username="owner", password="demo")
    response = client.get("/programmes/customer-support-copilot/scorecard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg viewBox") == 3  # charts: the headline and two secondary metrics
    assert 'class="series"' in html
    assert 'class="baseline"' in html
    assert 'class="target"' in html
    assert 'class="marker regression"' in html  # the latest drop below baseline
    assert 'class="marker model-change"' in html  # …which came with a new model version
    assert "rag rag-red" in html
    assert "over the envelope" in html
    claims = client.get("/programmes/claims-triage-assistant/scorecard/").content.decode()
    assert claims.count("<svg viewBox") == 4
    assert "Unit economics" in claims


def test_add_measurement_with_htmx_returns_the_refreshed_panel(owner, programme, metric):
    measure(metric, 80)
    client = signed_in(owner)
    page = client.get(f"/programmes/{programme.slug}/scorecard/").content.decode()
    assert 'data-points="1"' in page
    assert "50.0%" in page

    when = timezone.localtime(timezone.now() - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/measurements/",
        {"value": "85", "measured_at": when, "model_version": "v2"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card metric-panel"')
    assert "<html" not in html  # a fragment for htmx, not a page
    assert 'data-points="2"' in html
    assert "75.0%" in html  # (85 − 70) / (90 − 70)
    assert Measurement.objects.filter(metric=metric, value=85, source="manual").exists()
    assert AuditEvent.objects.filter(action="record_measurements").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "eighty", "measured_at": "2026-11-01T09:00"}, "Enter a number."),
        ({"value": "80", "measured_at": "2099-01-01T09:00"}, "in the future"),
        ({"value": "80", "measured_at": ""}, "This field is required."),
    ],
)
def test_bad_measurement_rerenders_the_form_with_the_error(owner, programme, metric, data, message):
    response = signed_in(owner).post(
        f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/measurements/", data, **HTMX
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_csv_with_a_broken_row_imports_nothing_and_says_which_line(owner, programme, metric):
    content = (
        b"value,measured_at,external_id\n"
        b"81,2026-11-01T09:00:00Z,run-1\n"
        b"eighty-two,2026-11-02T09:00:00Z,run-2\n"
        b"83,not a date,run-3\n"
        b"84,2026-11-04,run-4\n"
    )
    response = signed_in(owner).post(
        f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/upload/",
        {"file": SimpleUploadedFile("runs.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "Line 3: value “eighty-two” is not a number" in html
    assert "Line 4: measured_at “not a date” is not a date or time" in html
    assert not Measurement.objects.exists()


def test_csv_import_is_all_or_nothing_and_skips_known_runs(owner, programme, metric):
    content = (
        b"value,measured_at,external_id,model_version\n"
        b"81,2026-11-01T09:00:00Z,run-1,v1\n"
        b"82,2026-11-02,run-2,v1\n"
    )
    url = f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/upload/"
    client = signed_in(owner)
    first = client.post(url, {"file": SimpleUploadedFile("a.csv", content)}, follow=True)
    assert "2 measurement(s) imported; 0 were already there." in first.content.decode()
    second = client.post(url, {"file": SimpleUploadedFile("a.csv", content)}, follow=True)
    assert "0 measurement(s) imported; 2 were already there." in second.content.decode()
    assert metric.measurements.count() == 2
    future = b"value,measured_at\n80,2099-01-01T00:00:00Z\n"
    refused = client.post(url, {"file": SimpleUploadedFile("b.csv", future)})
    assert refused.status_code == 400
    assert "Line 2:" in refused.content.decode()
    missing_column = client.post(url, {"file": SimpleUploadedFile("c.csv", b"score\n1\n")})
    assert "missing: value, measured_at" in missing_column.content.decode()


def test_metric_form_shows_inline_errors_and_creates(owner, programme):
    client = signed_in(owner)
    url = f"/programmes/{programme.slug}/scorecard/metrics/new/"
    data = {
        "name": "Routing accuracy",
        "unit": "%",
        "kind": "evaluation",
        "is_headline": "on",
        "direction": "higher",
        "baseline_value": "72",
        "baseline_date": "2026-06-01",
        "target_value": "60",
        "target_date": "2027-03-31",
        "regression_tolerance": "1",
        "regression_window": "5",
        "staleness_days": "14",
        "amber_margin": "15",
    }
    refused = client.post(url, data, **HTMX)
    assert refused.status_code == 400
    assert "must be better than the baseline" in refused.content.decode()
    assert not Metric.objects.exists()
    created = client.post(url, {**data, "target_value": "90"}, **HTMX)
    assert created.status_code == 200
    assert created.headers["HX-Redirect"]
    assert Metric.objects.get().is_headline


def test_metric_detail_page_and_forms(owner, programme, metric):
    measure(metric, 80, 84)
    client = signed_in(owner)
    base = f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/"
    page = client.get(base)
    assert page.status_code == 200
    assert "Latest measurements" in page.content.decode()
    client.post(base + "assess/", {"confidence": "4", "rag_override": "", "reason": ""})
    assert metric.assessments.get().confidence == 4
    refused = client.post(base + "assess/", {"confidence": "2", "rag_override": "red"}, follow=True)
    assert "Say why the RAG is overridden" in refused.content.decode()
    client.post(
        base + "promote-baseline/",
        {"value": "80", "baseline_date": "2026-10-01", "reason": "Golden set v2"},
    )
    metric.refresh_from_db()
    assert metric.baseline_value == Decimal(80)


def test_owner_creates_a_token_and_sees_the_secret_once(owner, programme):
    client = signed_in(owner)
    response = client.post(
        f"/programmes/{programme.slug}/tokens/",
        {"name": "harness", "scope": "measurements"},
        **HTMX,
    )
    assert response.status_code == 200
    secret = re.search(r"keel_prog_[\w-]+", response.content.decode()).group(0)
    token = ProgrammeToken.objects.get()
    assert token.hint == secret[-4:]
    assert secret not in client.get(f"/programmes/{programme.slug}/scorecard/").content.decode()
    client.post(f"/programmes/{programme.slug}/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_viewer_sees_the_scorecard_but_no_forms(viewer, programme, metric):
    client = signed_in(viewer)
    page = client.get(f"/programmes/{programme.slug}/scorecard/").content.decode()
    assert "Add measurement" not in page
    assert "Tokens for the evaluation harness" not in page
    base = f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/"
    post = client.post(base + "measurements/", {"value": "1", "measured_at": "2026-11-01T09:00"})
    assert post.status_code == 403
    assert client.get(base + "edit/").status_code == 403
    assert client.post(f"/programmes/{programme.slug}/tokens/", {"name": "x"}).status_code == 403


def test_another_programmes_user_gets_404(outsider, programme, metric, other_programme):
    client = signed_in(outsider)
    assert client.get(f"/programmes/{programme.slug}/scorecard/").status_code == 404
    base = f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(base + "measurements/", {"value": "1"}).status_code == 404
    # A metric reached through the wrong programme's address is not found either.
    wrong = f"/programmes/{other_programme.slug}/scorecard/metrics/{metric.pk}/"
    assert client.get(wrong).status_code == 404


def test_scorecard_page_runs_a_constant_number_of_queries(
    owner, programme, django_assert_max_num_queries
):
    for i in range(10):
        metric = MetricFactory(programme=programme, is_headline=i == 0, name=f"M{i}")
        measure(metric, *[70 + (n % 9) for n in range(365)])
    client = signed_in(owner)
    with django_assert_max_num_queries(16):
        response = client.get(f"/programmes/{programme.slug}/scorecard/?range=all")
    assert response.content.decode().count("<svg viewBox") == 10
    with django_assert_max_num_queries(20):
        client.get(f"/programmes/{programme.slug}/scorecard/metrics/{metric.pk}/")
