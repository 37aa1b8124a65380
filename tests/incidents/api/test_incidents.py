"""The incidents API: input refused with field errors, other programmes' users refused."""

import pytest

from incidents.models import Incident
from tests.conftest import api_client_for
from tests.incidents.helpers import open_sev1

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": "x", "severity": "sev9"}, "severity", "is not a valid choice"),
        ({"title": "", "severity": "sev1"}, "title", "may not be blank"),
        (
            {"title": "x", "severity": "sev1", "harm_category": "bad vibes"},
            "harm_category",
            "is not a valid choice",
        ),
    ],
)
def test_bad_incident_input(owner, programme, body, field, message):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/incidents/", body, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Incident.objects.exists()


def test_other_programmes_user_and_viewer(owner, viewer, outsider, programme):
    client = api_client_for(owner)
    incident = open_sev1(client, programme)
    assert api_client_for(outsider).get(f"/api/v1/incidents/{incident['id']}/").status_code == 404
    assert (
        api_client_for(outsider).get(f"/api/v1/programmes/{programme.slug}/incidents/").status_code
        == 404
    )
    assert api_client_for(viewer).get(f"/api/v1/incidents/{incident['id']}/").status_code == 200
    assert (
        api_client_for(viewer)
        .post(
            f"/api/v1/incidents/{incident['id']}/status/", {"status": "acknowledged"}, format="json"
        )
        .status_code
        == 403
    )
    assert (
        api_client_for(viewer)
        .post(
            f"/api/v1/programmes/{programme.slug}/incidents/",
            {"title": "x", "severity": "sev3"},
            format="json",
        )
        .status_code
        == 403
    )


def test_an_incident_names_only_its_own_programmes_metric(owner, programme, other_programme):
    from tests.factories import MetricFactory

    theirs = MetricFactory(programme=other_programme)
    client = api_client_for(owner)
    incident = open_sev1(client, programme, severity="sev3")
    response = client.patch(
        f"/api/v1/incidents/{incident['id']}/", {"metric": theirs.pk}, format="json"
    )
    assert response.status_code == 400
    assert "another programme" in response.json()["metric"][0]
