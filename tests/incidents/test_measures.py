"""MTTA and MTTR: the demo's figures match a hand computation."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from incidents.selectors import incident_measures
from programmes.models import Programme
from tests.conftest import log_in

pytestmark = pytest.mark.django_db


def test_demo_mtta_and_mttr_match_a_hand_computation():
    call_command("load_demo", stdout=None)
    claims = Programme.objects.get(name="Claims triage assistant")
    now = timezone.now()
    found = incident_measures(claims, now - dt.timedelta(days=90), now + dt.timedelta(minutes=1))
    rows = {row.severity: row for row in found.by_severity}
    # SEV1: acknowledged after 4 min, resolved after 120; SEV2: 12 and 50; SEV3: 30, unresolved.
    assert (rows["sev1"].mtta_minutes, rows["sev1"].mttr_minutes) == (4.0, 120.0)
    assert (rows["sev2"].mtta_minutes, rows["sev2"].mttr_minutes) == (12.0, 50.0)
    assert (rows["sev3"].mtta_minutes, rows["sev3"].mttr_minutes) == (30.0, None)
    assert rows["all"].count == 3
    assert rows["all"].mtta_minutes == round((4 + 12 + 30) / 3, 1)  # 15.3
    assert rows["all"].mttr_minutes == (120 + 50) / 2  # 85.0
    client = Client()
    assert log_in(client, username="owner", password="demo")
    api = client.get(f"/api/v1/programmes/{claims.slug}/incident-measures/").json()
    assert {r["severity"]: r["mttr_minutes"] for r in api["by_severity"]}["all"] == 85.0
    page = client.get(f"/programmes/{claims.slug}/incidents/").content.decode()
    assert "85.0 min" in page
    assert "15.3 min" in page
