"""An incident's status through the API: its lifecycle, who may move it."""

import pytest
from django.utils import timezone

from incidents.models import Incident, Postmortem
from programmes.models import (
    AuditEvent,
    Role,
)
from tests.conftest import api_client_for
from tests.factories import PersonFactory, member
from tests.incidents.helpers import open_sev1

pytestmark = pytest.mark.django_db


def test_status_lifecycle_and_postmortem(owner, oncall_programme):
    client = api_client_for(owner)
    incident = open_sev1(client, oncall_programme, severity="sev2")
    url = f"/api/v1/incidents/{incident['id']}/status/"
    resolved = client.post(url, {"status": "resolved"}, format="json")
    assert resolved.status_code == 200
    body = resolved.json()
    assert body["acknowledged_at"]
    assert body["mitigated_at"]
    assert body["resolved_at"]
    again = client.post(url, {"status": "resolved"}, format="json")
    assert again.status_code == 400
    assert "already resolved" in again.json()["status"][0]
    back = client.post(url, {"status": "acknowledged"}, format="json")
    assert back.status_code == 400
    assert "needs a reason" in back.json()["status"][0]
    reopened = client.post(
        url, {"status": "acknowledged", "reason": "Errors are back"}, format="json"
    )
    assert reopened.json()["resolved_at"] is None
    postmortem = Postmortem.objects.get(incident_id=incident["id"])
    assert postmortem.due_on.weekday() < 5
    timeline = client.get(f"/api/v1/incidents/{incident['id']}/timeline/").json()["results"]
    assert [e["kind"] for e in timeline] == ["opened", "status", "status"]
    assert "Errors are back" in timeline[-1]["text"]
    assert AuditEvent.objects.filter(object_type="incident", action="status").count() == 2


def test_the_responder_may_work_on_their_incident(owner, programme):
    responder_user = member(programme, Role.VIEWER, username="resp")
    person = PersonFactory(name="Resp", user=responder_user)
    incident = Incident.objects.create(
        programme=programme, title="t", severity="sev3", opened_at=timezone.now(), responder=person
    )
    acked = api_client_for(responder_user).post(
        f"/api/v1/incidents/{incident.pk}/status/", {"status": "acknowledged"}, format="json"
    )
    assert acked.status_code == 200
