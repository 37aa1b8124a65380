"""The admin refuses what the pages and the API refuse, through the services' own checks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programmes.models import Membership, Programme, Role
from scorecards.models import Measurement, Metric
from tests.factories import MetricFactory, UserFactory, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _form_data(client: Client, url: str) -> dict:
    """What the admin's change form would send back unchanged."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def _errors(response) -> list[str]:
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]


def test_a_metric_whose_target_is_worse_than_its_baseline_is_refused(admin_client, programme):
    metric = MetricFactory(programme=programme)
    url = reverse("admin:scorecards_metric_change", args=[metric.pk])
    data = _form_data(admin_client, url)
    data.update(target_value="60", target_date="2020-01-01")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = _errors(response)
    assert any("must be better than the baseline" in e for e in errors)
    assert any("must come after the baseline date" in e for e in errors)
    metric.refresh_from_db()
    assert metric.target_value == Decimal(90)


def test_a_new_metric_in_the_admin_meets_the_same_rules(admin_client, programme):
    response = admin_client.post(
        reverse("admin:scorecards_metric_add"),
        {
            "programme": programme.pk,
            "name": "Routing accuracy",
            "kind": "evaluation",
            "direction": "higher",
            "baseline_value": "72",
            "baseline_date": "2026-06-01",
            "target_value": "60",
            "target_date": "2027-06-01",
            "regression_tolerance": "0",
            "regression_window": "5",
            "staleness_days": "14",
            "amber_margin": "15",
        },
    )
    assert response.status_code == 200
    assert any("must be better than the baseline" in e for e in _errors(response))
    assert not Metric.objects.exists()


def test_an_agreed_target_does_not_move_in_the_admin(admin_client, programme):
    metric = MetricFactory(programme=programme, agreed_on=dt.date(2026, 1, 5))
    url = reverse("admin:scorecards_metric_change", args=[metric.pk])
    data = _form_data(admin_client, url)
    data["target_value"] = "95"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert any("say why they change" in e for e in _errors(response))
    metric.refresh_from_db()
    assert metric.target_value == Decimal(90)


def test_a_metric_date_outside_the_scorecard_window_is_refused_in_the_admin(
    admin_client, programme
):
    metric = MetricFactory(programme=programme)
    url = reverse("admin:scorecards_metric_change", args=[metric.pk])
    data = _form_data(admin_client, url)
    data.update(target_date="9999-12-31", agreed_on="0001-01-01")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "from ten years ago to ten years ahead" in errors["target_date"][0]
    assert "from ten years ago to ten years ahead" in errors["agreed_on"][0]
    metric.refresh_from_db()
    assert metric.target_date != dt.date(9999, 12, 31)
    assert metric.agreed_on is None


def test_a_far_metric_date_already_stored_does_not_stop_other_edits_in_the_admin(
    admin_client, programme
):
    metric = MetricFactory(programme=programme)
    Metric.objects.filter(pk=metric.pk).update(baseline_date=dt.date(1990, 1, 1))
    url = reverse("admin:scorecards_metric_change", args=[metric.pk])
    data = _form_data(admin_client, url)
    data["name"] = "Routing accuracy (v2)"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    metric.refresh_from_db()
    assert metric.name == "Routing accuracy (v2)"


def test_a_measurement_in_the_future_is_refused(admin_client, programme):
    metric = MetricFactory(programme=programme)
    measure(metric, 80)
    measurement = Measurement.objects.get()
    url = reverse("admin:scorecards_measurement_change", args=[measurement.pk])
    data = _form_data(admin_client, url)
    future = timezone.now() + dt.timedelta(days=2)
    data.update(measured_at_0=future.strftime("%Y-%m-%d"), measured_at_1="09:00:00")
    data.pop("measured_at", None)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert any("is in the future" in e for e in _errors(response))


def test_a_programme_name_is_not_another_live_programmes(admin_client, programme, other_programme):
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = _form_data(admin_client, url)
    data.update(
        name="FRAUD SUMMARIES", **{"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert any("Another programme is already called" in e for e in _errors(response))
    assert Programme.objects.get(pk=programme.pk).name == "Claims triage"
    assert "slug" not in response.context["adminform"].form.fields


def test_the_last_owner_keeps_the_programme(admin_client, programme, owner):
    membership = Membership.objects.get(user=owner)
    url = reverse("admin:programmes_membership_change", args=[membership.pk])
    response = admin_client.post(url, {"role": Role.VIEWER})
    assert response.status_code == 200
    assert "A programme needs at least one owner." in _errors(response)
    delete = admin_client.post(
        reverse("admin:programmes_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Membership.objects.get(pk=membership.pk).role == Role.OWNER


def test_a_rotation_is_not_created_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:oncall_rotation_add")).status_code == 403
