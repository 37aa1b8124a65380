"""The Alertmanager webhook: a firing group opens one incident, repeats join it, resolution notes
it."""

import copy

import pytest
from rest_framework.test import APIClient

from incidents.models import Incident, TimelineEntry
from programmes.models import (
    ProgrammeToken,
)
from tests.conftest import api_client_for
from tests.incidents.helpers import (
    FIRING,
    alertmanager_url,
    resolved_version,
)

pytestmark = pytest.mark.django_db


def test_alertmanager_firing_twice_then_resolved(owner, programme):
    url = alertmanager_url(programme, owner)
    client = APIClient()
    first = client.post(url, FIRING, format="json")
    again = client.post(url, FIRING, format="json")
    assert first.status_code == 200
    assert first.json()["created"] is True
    assert again.json() == {
        "incident": first.json()["incident"],
        "created": False,
        "recorded": False,
    }
    incident = Incident.objects.get()
    assert (incident.severity, incident.status, incident.source) == (
        "sev1",
        "triggered",
        "alertmanager",
    )
    assert incident.title == "Claims routing error rate above 5%"

    # A new alert joins the group: a new notification, the same incident.
    grown = copy.deepcopy(FIRING)
    second_alert = copy.deepcopy(FIRING["alerts"][0])
    second_alert["labels"]["instance"] = "claims-api-2:9100"
    second_alert["fingerprint"] = "77aa01bc33de9f10"
    grown["alerts"].append(second_alert)
    assert client.post(url, grown, format="json").json()["recorded"] is True

    resolved = client.post(url, resolved_version(grown), format="json")
    assert resolved.status_code == 200
    assert Incident.objects.count() == 1
    incident.refresh_from_db()
    assert incident.status == "mitigated"
    alerts = TimelineEntry.objects.filter(incident=incident, kind="alert")
    assert alerts.count() == 3
    assert alerts.first().payload == FIRING  # the raw payload is kept
    assert client.post(url, resolved_version(grown), format="json").json()["recorded"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"hello": "world"}, '`version` must be "4"'),
        ({**FIRING, "groupKey": ""}, "`groupKey` is missing"),
        ({**FIRING, "alerts": []}, "`alerts` must be a non-empty list"),
        ({**FIRING, "status": "burning"}, "`status` must be firing or resolved"),
        ([1, 2, 3], "must be a JSON object"),
    ],
)
def test_not_an_alertmanager_payload_is_400(owner, programme, body, message):
    response = APIClient().post(alertmanager_url(programme, owner), body, format="json")
    assert response.status_code == 400
    assert message in response.json()["non_field_errors"][0]
    assert not Incident.objects.exists()


def test_alertmanager_token_of_another_programme_or_scope_is_404(
    owner, programme, outsider, other_programme
):
    assert (
        APIClient()
        .post("/api/v1/integrations/alertmanager/not-a-token/", FIRING, format="json")
        .status_code
        == 404
    )
    # An ingest token is not a webhook token.
    ingest = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/tokens/", {"name": "harness"}, format="json"
    )
    key = ingest.json()["token"]
    assert (
        APIClient()
        .post(f"/api/v1/integrations/alertmanager/{key}/", FIRING, format="json")
        .status_code
        == 404
    )
    # A revoked webhook token stops working.
    url = alertmanager_url(programme, owner)
    token = ProgrammeToken.objects.get(scope="alertmanager")
    api_client_for(owner).delete(f"/api/v1/programmes/{programme.slug}/tokens/{token.pk}/")
    assert APIClient().post(url, FIRING, format="json").status_code == 404
    # Another programme's webhook opens the incident there, never here.
    theirs = alertmanager_url(other_programme, outsider)
    APIClient().post(theirs, FIRING, format="json")
    assert not Incident.objects.filter(programme=programme).exists()
    incident = Incident.objects.get(programme=other_programme)
    assert api_client_for(owner).get(f"/api/v1/incidents/{incident.pk}/").status_code == 404


def test_alertmanager_resolution_is_not_an_acknowledgement(owner, programme):
    url = alertmanager_url(programme, owner)
    APIClient().post(url, FIRING, format="json")
    APIClient().post(url, resolved_version(FIRING), format="json")
    incident = Incident.objects.get()
    assert incident.status == "mitigated"
    assert incident.mitigated_at is not None
    assert incident.acknowledged_at is None  # nobody acknowledged it: MTTA does not count it
