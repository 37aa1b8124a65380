"""Ten thousand measurements in one request: accepted, and the same ten thousand again create
nothing; a bigger batch is refused before any item is looked at."""

import datetime as dt

import pytest
from django.utils import timezone

from scorecards.models import Measurement
from scorecards.services import MAX_BATCH
from tests.conftest import api_client_for
from tests.factories import MetricFactory

pytestmark = pytest.mark.django_db


def batch_of(count: int, *, broken: bool = False) -> list[dict[str, str]]:
    start = timezone.now() - dt.timedelta(days=30)
    return [
        {
            "value": "not a number" if broken else f"{80 + (n % 100) / 10:.1f}",
            "measured_at": (start + dt.timedelta(minutes=n)).isoformat(),
            "external_id": f"run-{n}",
        }
        for n in range(count)
    ]


def test_ten_thousand_measurements_in_one_request_are_recorded_once(owner, programme):
    metric = MetricFactory(programme=programme)
    client = api_client_for(owner)
    url = f"/api/v1/metrics/{metric.pk}/measurements/"
    first = client.post(url, batch_of(MAX_BATCH), format="json")
    assert first.status_code == 201, first.content[:300]
    assert first.json()["created"] == 10_000
    again = client.post(url, batch_of(MAX_BATCH), format="json")
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["existing"]) == (0, 10_000)
    assert Measurement.objects.filter(metric=metric).count() == 10_000


def test_a_batch_over_ten_thousand_is_refused_before_its_items_are_validated(owner, programme):
    metric = MetricFactory(programme=programme)
    answer = api_client_for(owner).post(
        f"/api/v1/metrics/{metric.pk}/measurements/",
        batch_of(MAX_BATCH + 1, broken=True),
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "non_field_errors": ["Send at most 10,000 measurements per request; this one has 10,001."]
    }
    assert not Measurement.objects.exists()


def test_another_programmes_user_cannot_post_a_large_batch(outsider, programme):
    metric = MetricFactory(programme=programme)
    answer = api_client_for(outsider).post(
        f"/api/v1/metrics/{metric.pk}/measurements/", batch_of(10), format="json"
    )
    assert answer.status_code == 404
