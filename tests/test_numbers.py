"""Numbers read as they were typed (35, 0.12) on pages, in emails and in the digest; the API keeps
its exact decimal strings."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from portfolio.digest import digest_text
from portfolio.selectors import rows_for
from programmes.models import Notification, Programme
from programmes.selectors import get_programme_for_user
from scorecards import services
from scorecards.models import Direction, MeasurementSource, MetricKind
from scorecards.notification_kinds import COST_ENVELOPE
from tests.conftest import api_client_for
from tests.factories import MetricFactory, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def costed(programme, owner):
    """A programme with a 9500 EUR envelope, 0.12 per task and 90000 tasks planned a month."""
    Programme.objects.filter(pk=programme.pk).update(cost_envelope=Decimal("9500"))
    programme.refresh_from_db()
    headline = MetricFactory(
        programme=programme, name="Answer quality", baseline_value=35, target_value=Decimal("40.5")
    )
    measure(headline, 36)
    cost = MetricFactory(
        programme=programme,
        name="Cost per task",
        is_headline=False,
        kind=MetricKind.COST_PER_TASK,
        direction=Direction.LOWER,
        baseline_value=Decimal("0.35"),
        target_value=Decimal("0.12"),
        regression_tolerance=Decimal("0.05"),
    )
    MetricFactory(
        programme=programme,
        name="Tasks per month",
        is_headline=False,
        kind=MetricKind.TASK_VOLUME,
        baseline_value=Decimal(1000),
        target_value=Decimal(90000),
    )
    access = get_programme_for_user(owner, programme.slug)[1]
    services.update_metric(actor=owner, metric=cost, access=access, baseline_value=Decimal("0.4"))
    services.record_measurement(
        actor=owner,
        metric=cost,
        access=access,
        measurement=services.NewMeasurement(
            value=Decimal("0.12"), measured_at=timezone.now() - dt.timedelta(hours=1)
        ),
        source=MeasurementSource.MANUAL,
    )
    return headline, cost


def _page(user, path: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _padded_decimals(html: str) -> list[str]:
    """Numbers with a run of trailing zeros after the point, as 35.000000 or 9500.00."""
    return re.findall(r"\b\d+\.\d*00\b", html)


def test_pages_show_numbers_as_typed(owner, programme, costed):
    headline, cost = costed
    base = f"/programmes/{programme.slug}/"
    pages = {
        "overview": base,
        "edit": base + "edit/",
        "scorecard": base + "scorecard/",
        "metric": base + f"scorecard/metrics/{cost.pk}/",
        "metric edit": base + f"scorecard/metrics/{headline.pk}/edit/",
        "audit": base + "audit/",
        "inbox": "/inbox/",
    }
    for name, path in pages.items():
        html = _page(owner, path)
        assert _padded_decimals(html) == [], name
    edit = _page(owner, base + f"scorecard/metrics/{headline.pk}/edit/")
    assert 'name="baseline_value" value="35"' in edit
    assert 'name="target_value" value="40.5"' in edit
    assert 'name="value" value="0.12"' in _page(owner, base + f"scorecard/metrics/{cost.pk}/")
    assert 'name="cost_envelope" value="9500"' in _page(owner, base + "edit/")
    assert "9500 EUR a month" in _page(owner, base)
    audit = _page(owner, base + "audit/")
    assert "<dt>baseline_value</dt><dd>0.35</dd>" in audit
    assert "<dt>baseline_value</dt><dd>0.4</dd>" in audit


def test_the_cost_alert_and_the_digest_show_numbers_as_typed(owner, programme, costed):
    alert = Notification.objects.filter(kind=COST_ENVELOPE).first()
    assert alert is not None
    assert "costs 10800 EUR a month against an envelope of 9500 EUR" in alert.body
    now = timezone.now()
    _, digest = digest_text(rows_for([programme], now), {}, since=now)
    assert "Answer quality: 36 (target 40.5)" in digest
    assert _padded_decimals(digest) == []


def test_the_api_keeps_exact_decimal_strings(owner, programme, costed):
    headline, _ = costed
    data = api_client_for(owner).get(f"/api/v1/metrics/{headline.pk}/").json()
    assert data["baseline_value"] == "35.000000"
    assert data["target_value"] == "40.500000"
