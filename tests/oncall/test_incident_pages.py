import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from incidents.models import Incident
from incidents.selectors import incident_measures
from oncall import services
from oncall.models import Rotation
from programmes.models import Programme, Role
from programmes.rules import access_for
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def signed_in(user) -> Client:
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


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


def test_handoff_page_lists_the_outgoing_shift_incidents(owner, programme):
    people = [PersonFactory(name="Ana"), PersonFactory(name="Ben")]
    owner_access = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=UTC), tick=False):
        rotation = services.create_rotation(
            actor=None,
            programme=programme,
            access=owner_access,
            name="Primary",
            start=dt.date(2026, 11, 2),
            member_ids=[p.pk for p in people],
            timezone_name="Europe/London",
            shift_kind="daily",
        )
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 11, 24, 15, tzinfo=UTC), tick=False):
        opened = client.post(
            f"/api/v1/programmes/{programme.slug}/incidents/",
            {"title": "Drafts in the wrong language", "severity": "sev2"},
            format="json",
        ).json()
    with time_machine.travel(dt.datetime(2026, 11, 24, 18, tzinfo=UTC), tick=False):
        client.post(
            f"/api/v1/incidents/{opened['id']}/status/", {"status": "resolved"}, format="json"
        )
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=UTC), tick=False):
        page = signed_in(owner).get(f"/oncall/{rotation.pk}/handoff/").content.decode()
    opened_part = page.split('data-testid="opened-incidents"')[1].split("</ul>")[0]
    resolved_part = page.split('data-testid="resolved-incidents"')[1].split("</ul>")[0]
    assert "Drafts in the wrong language" in opened_part
    assert "Drafts in the wrong language" in resolved_part


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


def test_action_owner_marks_their_action_done_on_the_page():
    call_command("load_demo", stdout=None)
    incident = Incident.objects.get(severity="sev1", programme__name="Claims triage assistant")
    action = incident.postmortem.actions.get()
    client = Client()
    assert log_in(client, username="oncall", password="demo")  # Priya, the action's owner
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "overdue" in page
    assert "Mark done" in page
    client.post(
        f"{incident.get_absolute_url()}actions/{action.pk}/", {"status": "done"}, follow=True
    )
    action.refresh_from_db()
    assert action.status == "done"
    assert action.done_at is not None
