"""The programme's incidents page: the demo's, opening one with inline errors, outsiders refused,
constant queries."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from incidents.models import Incident
from oncall.models import Rotation
from programmes.models import Programme
from tests.conftest import api_client_for, log_in
from tests.factories import PersonFactory
from tests.incidents.pages.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_incident_pages_for_the_demo():
    call_command("load_demo", stdout=None)
    client = Client()
    assert log_in(client, username="oncall", password="demo")
    copilot = Programme.objects.get(name="Customer support copilot")
    serious = Incident.objects.get(programme=copilot)
    page = client.get(serious.get_absolute_url()).content.decode()
    assert "Serious incident" in page
    assert "Report to the authority due" in page
    claims = Programme.objects.get(name="Claims triage assistant")
    resolved = Incident.objects.get(programme=claims, severity="sev1")
    detail = client.get(resolved.get_absolute_url()).content.decode()
    assert "Add 50 multi-vehicle claims" in detail
    rotation = Rotation.objects.get(name="Claims primary")
    handoff = client.get(f"/oncall/{rotation.pk}/handoff/").content.decode()
    assert "p95 latency above 3 s" in handoff  # still open
    assert "Routing errors" in handoff  # the programme's runbook


def test_opening_an_incident_on_the_page_validates_inline(owner, programme):
    client = signed_in(owner)
    url = f"/programmes/{programme.slug}/incidents/"
    refused = client.post(url, {"title": "", "severity": "sev9"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "This field is required." in html
    assert "Select a valid choice" in html
    assert not Incident.objects.exists()
    opened = client.post(url, {"title": "Wrong queue", "severity": "sev2"}, HTTP_HX_REQUEST="true")
    assert opened.status_code == 200
    incident = Incident.objects.get()
    client.post(
        f"/programmes/{programme.slug}/incidents/{incident.pk}/status/", {"status": "resolved"}
    )
    again = client.post(
        f"/programmes/{programme.slug}/incidents/{incident.pk}/status/",
        {"status": "resolved"},
        follow=True,
    )
    assert "already resolved" in again.content.decode()


def test_incident_pages_refuse_outsiders_and_viewers(owner, viewer, outsider, programme):
    incident = Incident.objects.create(
        programme=programme, title="t", severity="sev3", opened_at=timezone.now()
    )
    base = f"/programmes/{programme.slug}/incidents/"
    assert signed_in(outsider).get(base).status_code == 404
    assert signed_in(outsider).get(f"{base}{incident.pk}/").status_code == 404
    assert signed_in(viewer).get(f"{base}{incident.pk}/").status_code == 200
    assert signed_in(viewer).post(base, {"title": "x", "severity": "sev3"}).status_code == 403
    status = signed_in(viewer).post(f"{base}{incident.pk}/status/", {"status": "acknowledged"})
    assert status.status_code == 403


def test_incident_lists_run_a_constant_number_of_queries(
    owner, programme, django_assert_max_num_queries
):
    opened = timezone.now() - dt.timedelta(days=1)
    responder = PersonFactory()
    Incident.objects.bulk_create(
        Incident(
            programme=programme,
            title=f"Incident {n}",
            severity=f"sev{n % 4 + 1}",
            opened_at=opened + dt.timedelta(minutes=n),
            responder=responder,
            status="resolved" if n % 2 else "triggered",
            resolved_at=opened + dt.timedelta(minutes=n + 30) if n % 2 else None,
        )
        for n in range(200)
    )
    with django_assert_max_num_queries(12):
        api = api_client_for(owner).get(f"/api/v1/programmes/{programme.slug}/incidents/")
    assert api.json()["count"] == 200
    client = signed_in(owner)
    with django_assert_max_num_queries(14):
        page = client.get(f"/programmes/{programme.slug}/incidents/")
    assert page.status_code == 200
