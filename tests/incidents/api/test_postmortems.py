"""Postmortems and their action items through the API."""

import pytest

from incidents.models import Postmortem
from tests.conftest import api_client_for
from tests.factories import PersonFactory
from tests.incidents.helpers import open_sev1

pytestmark = pytest.mark.django_db


def test_sev4_postmortem_is_allowed_and_actions_need_an_owner(owner, programme):
    client = api_client_for(owner)
    incident = open_sev1(client, programme, severity="sev4")
    client.post(
        f"/api/v1/incidents/{incident['id']}/status/", {"status": "resolved"}, format="json"
    )
    assert not Postmortem.objects.exists()  # not required for a SEV4
    started = client.post(f"/api/v1/incidents/{incident['id']}/postmortem/")
    assert started.status_code == 201
    actions = f"/api/v1/incidents/{incident['id']}/postmortem/actions/"
    no_owner = client.post(
        actions,
        {"title": "Add a golden-set case", "owner_id": None, "due_on": "2026-12-01"},
        format="json",
    )
    assert no_owner.status_code == 400
    assert "owner" in no_owner.json()["owner"][0]
    owner_person = PersonFactory(name="Olga Owner")
    ok = client.post(
        actions,
        {"title": "Add a golden-set case", "owner_id": owner_person.pk, "due_on": "2026-12-01"},
        format="json",
    )
    assert ok.status_code == 201
    empty = client.patch(
        f"/api/v1/incidents/{incident['id']}/postmortem/", {"complete": True}, format="json"
    )
    assert empty.status_code == 400
    assert "summary" in empty.json()["summary"][0]
