"""Readiness's tables have admin pages that open, read only."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_every_readiness_model_has_a_read_only_admin_list_and_detail():
    call_command("load_demo", stdout=None)
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    models = list(apps.get_app_config("governance").get_models())
    assert [m for m in models if m not in admin.site._registry] == []
    for model in models:
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
        row = model.objects.first()
        detail = client.get(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
        assert detail.status_code == 200, model
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403, model
