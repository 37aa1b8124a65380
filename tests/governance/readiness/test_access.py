"""Another programme's user gets 404 on every readiness endpoint and page; a viewer cannot sign
(403); only the named signer signs a role."""

import pytest

from governance.models import Criterion, DefinitionVersion, SignOff
from programmes.models import Person
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD
from tests.governance.readiness.helpers import make_ready, open_round, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def readied(programme):
    users = make_ready(programme)
    open_round(programme, users["programme_owner"])
    return users


def _ids(programme):
    return {
        "slug": programme.slug,
        "version": DefinitionVersion.objects.get(programme=programme).pk,
        "criterion": Criterion.objects.filter(programme=programme).first().pk,
        "signoff": SignOff.objects.filter(review__programme=programme).first().pk,
    }


API = [
    ("get", "/api/v1/programmes/{slug}/readiness/"),
    ("get", "/api/v1/programmes/{slug}/pilot-verdict/"),
    ("get", "/api/v1/programmes/{slug}/readiness/definitions/"),
    ("post", "/api/v1/programmes/{slug}/readiness/definitions/"),
    ("post", "/api/v1/readiness/definitions/{version}/agree/"),
    ("get", "/api/v1/programmes/{slug}/readiness/criteria/"),
    ("post", "/api/v1/programmes/{slug}/readiness/criteria/"),
    ("post", "/api/v1/programmes/{slug}/readiness/criteria/defaults/"),
    ("get", "/api/v1/readiness/criteria/{criterion}/"),
    ("patch", "/api/v1/readiness/criteria/{criterion}/"),
    ("get", "/api/v1/readiness/criteria/{criterion}/waivers/"),
    ("post", "/api/v1/readiness/criteria/{criterion}/waivers/"),
    ("get", "/api/v1/programmes/{slug}/readiness/reviews/"),
    ("post", "/api/v1/programmes/{slug}/readiness/reviews/"),
    ("get", "/api/v1/readiness/sign-offs/{signoff}/"),
    ("post", "/api/v1/readiness/sign-offs/{signoff}/sign/"),
    ("post", "/api/v1/readiness/sign-offs/{signoff}/reattest/"),
    ("post", "/api/v1/readiness/sign-offs/{signoff}/withdraw/"),
]

PAGES = [
    ("get", "/programmes/{slug}/readiness/"),
    ("get", "/programmes/{slug}/readiness/statement/"),
    ("get", "/programmes/{slug}/readiness/statement.md"),
    ("post", "/programmes/{slug}/readiness/definition/"),
    ("post", "/programmes/{slug}/readiness/definition/{version}/agree/"),
    ("post", "/programmes/{slug}/readiness/criteria/"),
    ("post", "/programmes/{slug}/readiness/criteria/defaults/"),
    ("post", "/programmes/{slug}/readiness/criteria/{criterion}/"),
    ("post", "/programmes/{slug}/readiness/criteria/{criterion}/waive/"),
    ("post", "/programmes/{slug}/readiness/reviews/"),
    ("post", "/programmes/{slug}/readiness/sign-offs/{signoff}/sign/"),
    ("post", "/programmes/{slug}/readiness/sign-offs/{signoff}/reattest/"),
    ("post", "/programmes/{slug}/readiness/sign-offs/{signoff}/withdraw/"),
]


@pytest.mark.parametrize(("method", "path"), API)
def test_another_programmes_user_gets_404_from_the_api(readied, programme, outsider, method, path):
    response = getattr(api_client_for(outsider), method)(
        path.format(**_ids(programme)), {}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_another_programmes_user_gets_404_from_the_pages(
    readied, programme, outsider, client, method, path
):
    assert log_in(client, username=outsider.username, password=PASSWORD)
    response = getattr(client, method)(path.format(**_ids(programme)))
    assert response.status_code == 404


def test_a_viewer_cannot_sign_even_when_named(readied, programme, viewer):
    signoff = SignOff.objects.get(role="security")
    Person.objects.filter(pk=signoff.signer_id).update(user=None)
    Person.objects.create(name="Vera", email="vera@example.com", user=viewer)
    signoff.signer = Person.objects.get(user=viewer)
    signoff.save()
    response = sign(signoff.pk, viewer)
    assert response.status_code == 403
    assert response.json()["detail"] == "Viewers cannot sign a readiness review."
    assert SignOff.objects.get(pk=signoff.pk).decision == "pending"


def test_someone_who_is_not_the_named_signer_cannot_sign_the_role(readied, programme):
    signoff = SignOff.objects.get(role="security")
    response = sign(signoff.pk, readied["product_owner"])
    assert response.status_code == 403
    assert (
        "Only Security owner, named for security, can sign this role." in response.json()["detail"]
    )
    assert SignOff.objects.get(pk=signoff.pk).decision == "pending"


def test_a_viewer_cannot_sign_on_the_page(readied, programme, viewer, client):
    signoff = SignOff.objects.get(role="risk")
    assert log_in(client, username=viewer.username, password=PASSWORD)
    response = client.post(
        f"/programmes/{programme.slug}/readiness/sign-offs/{signoff.pk}/sign/",
        {"decision": "approved"},
    )
    assert response.status_code == 403


def test_leadership_named_as_signer_may_sign(readied, programme, leader):
    signoff = SignOff.objects.get(role="product")
    person = Person.objects.create(name="Lena", email="lena@example.com", user=leader)
    signoff.signer = person
    signoff.save()
    assert sign(signoff.pk, leader).status_code == 200


ROW_PAGES = [(method, path) for method, path in PAGES if "}/" in path.split("{slug}")[1]]


@pytest.mark.parametrize(("method", "path"), ROW_PAGES)
def test_another_programmes_rows_under_ones_own_programme_are_404(
    readied, programme, other_programme, outsider, client, method, path
):
    """The outsider owns their own programme: its slug with this programme's definition,
    criterion or sign-off ids finds nothing, and nothing changes."""
    ids = {**_ids(programme), "slug": other_programme.slug}
    assert log_in(client, username=outsider.username, password=PASSWORD)
    response = client.post(
        path.format(**ids), {"decision": "approved", "status": "in_progress", "reason": "x"}
    )
    assert response.status_code == 404
    assert SignOff.objects.filter(review__programme=programme, decision="approved").count() == 0
    assert not Criterion.objects.filter(programme=programme, status="in_progress").exists()


@pytest.mark.parametrize("action", ["reattest", "withdraw"])
def test_only_the_named_signer_reattests_or_withdraws(readied, programme, client, action):
    signoff = SignOff.objects.get(role="security")
    assert sign(signoff.pk, readied["security_owner"]).status_code == 200
    refused = api_client_for(readied["product_owner"]).post(
        f"/api/v1/readiness/sign-offs/{signoff.pk}/{action}/", {"comment": ""}, format="json"
    )
    assert refused.status_code == 403
    assert log_in(client, username="product_owner", password=PASSWORD)
    page = client.post(
        f"/programmes/{programme.slug}/readiness/sign-offs/{signoff.pk}/{action}/", {"comment": ""}
    )
    assert page.status_code == 403
    row = SignOff.objects.get(pk=signoff.pk)
    assert row.decision == "approved"


def test_someone_not_named_cannot_sign_on_the_page(readied, programme, client):
    signoff = SignOff.objects.get(role="delivery")
    assert log_in(client, username="product_owner", password=PASSWORD)
    response = client.post(
        f"/programmes/{programme.slug}/readiness/sign-offs/{signoff.pk}/sign/",
        {"decision": "approved", "comment": ""},
    )
    assert response.status_code == 403
    assert SignOff.objects.get(pk=signoff.pk).decision == "pending"
