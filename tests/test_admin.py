"""Every model has an admin page that opens, and admin writes are audited."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from incidents.models import TimelineEntry
from oncall.models import RotationVersion
from programmes.models import AuditEvent, DeliveryAttempt
from scorecards.models import Metric
from tests.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    call_command("load_demo", stdout=None)
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


def test_every_model_has_a_working_admin_list_and_detail(superuser_client):
    keel_models = [
        model
        for label in ("programmes", "scorecards", "oncall", "incidents", "governance", "portfolio")
        for model in apps.get_app_config(label).get_models()
        if model not in (DeliveryAttempt, RotationVersion, TimelineEntry)  # inline on a parent
    ]
    assert [m for m in keel_models if m not in admin.site._registry] == []
    for model in keel_models:
        info = (model._meta.app_label, model._meta.model_name)
        listing = superuser_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert listing.status_code == 200, model
        first = model._default_manager.first()
        if first is not None:
            detail = superuser_client.get(
                reverse("admin:{}_{}_change".format(*info), args=[first.pk])
            )
            assert detail.status_code == 200, model


def test_admin_edit_of_a_metric_is_audited(superuser_client):
    metric = Metric.objects.filter(is_headline=True).select_related("programme").first()
    url = reverse("admin:scorecards_metric_change", args=[metric.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["name"] = "Renamed in admin"
    response = superuser_client.post(url, data)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_type="metric", action="update").latest("at")
    assert event.after == {"name": "Renamed in admin"}
    assert event.programme_id == metric.programme_id
