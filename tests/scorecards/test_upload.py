"""The CSV upload page: its limits, and what it says about rows it cannot import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from scorecards.models import Measurement
from tests.factories import MetricFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def metric(programme):
    return MetricFactory(programme=programme, name="Routing accuracy")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload_url(metric) -> str:
    return f"/programmes/{metric.programme.slug}/scorecard/metrics/{metric.pk}/upload/"


def _csv(rows: int) -> bytes:
    lines = ["value,measured_at,external_id"]
    lines += [f"{80 + n % 10},2026-01-01T00:00:00Z,run-{n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_the_upload_page_states_its_limits(owner, metric):
    body = _signed_in(owner).get(_upload_url(metric)).content.decode()
    assert "At most 5,000 rows and 5 MB per file." in body


def test_a_file_over_the_row_limit_is_refused_with_a_message_and_imports_nothing(owner, metric):
    response = _signed_in(owner).post(
        _upload_url(metric), {"file": SimpleUploadedFile("runs.csv", _csv(5001))}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file has 5,001 rows; at most 5,000 are imported at once." in body
    assert "split it" in body
    assert not Measurement.objects.exists()
