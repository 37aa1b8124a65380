"""One incident's page: an action's owner marks it done."""

import pytest
from django.core.management import call_command
from django.test import Client

from incidents.models import Incident
from tests.conftest import log_in

pytestmark = pytest.mark.django_db


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
