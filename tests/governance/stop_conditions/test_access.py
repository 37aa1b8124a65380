"""Done 6: a user of another programme gets 404 on every stop-condition endpoint and page; a
viewer writing gets 403; only approvers approve."""

import pytest
from django.test import Client

from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD
from tests.governance.stop_conditions.helpers import approve, write_condition

pytestmark = pytest.mark.django_db


@pytest.fixture
def condition_id(governed, owner):
    response = write_condition(owner, governed)
    assert response.status_code == 201
    return response.json()["id"]


def api_calls(slug, condition_id):
    return [
        ("get", f"/api/v1/programmes/{slug}/stop-policy/", None),
        ("put", f"/api/v1/programmes/{slug}/stop-policy/", {}),
        ("get", f"/api/v1/programmes/{slug}/stop-conditions/", None),
        (
            "post",
            f"/api/v1/programmes/{slug}/stop-conditions/",
            {"text": "x", "consequence": "pause"},
        ),
        (
            "post",
            f"/api/v1/programmes/{slug}/stop-conditions/dry-run/",
            {"rule_kind": "not_measured", "rule": {"days": 3}},
        ),
        ("get", f"/api/v1/stop-conditions/{condition_id}/", None),
        ("patch", f"/api/v1/stop-conditions/{condition_id}/", {"text": "y"}),
        ("get", f"/api/v1/stop-conditions/{condition_id}/versions/", None),
        ("get", f"/api/v1/stop-conditions/{condition_id}/approvals/", None),
        ("post", f"/api/v1/stop-conditions/{condition_id}/approvals/", None),
        ("get", f"/api/v1/stop-conditions/{condition_id}/trips/", None),
        ("get", f"/api/v1/stop-conditions/{condition_id}/decisions/", None),
        (
            "post",
            f"/api/v1/stop-conditions/{condition_id}/decisions/",
            {"kind": "pause", "reason": "r"},
        ),
    ]


def page_calls(slug, condition_id):
    base = f"/programmes/{slug}/stop-conditions/"
    return [
        ("get", base),
        ("post", base),
        ("post", f"{base}policy/"),
        ("get", f"{base}{condition_id}/"),
        ("post", f"{base}{condition_id}/"),
        ("post", f"{base}{condition_id}/approve/"),
        ("post", f"{base}{condition_id}/decide/"),
    ]


def test_another_programmes_user_gets_404_on_every_endpoint(governed, condition_id, outsider):
    client = api_client_for(outsider)
    for method, url, body in api_calls(governed.slug, condition_id):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.status_code)


def test_another_programmes_user_gets_404_on_every_page(governed, condition_id, outsider):
    client = Client()
    assert log_in(client, username=outsider.username, password=PASSWORD)
    for method, url in page_calls(governed.slug, condition_id):
        assert getattr(client, method)(url).status_code == 404, (method, url)


def test_a_condition_under_another_programmes_address_is_404(
    governed, condition_id, owner, other_programme
):
    from programmes.models import Membership

    Membership.objects.create(programme=other_programme, user=owner, role="owner")
    client = Client()
    assert log_in(client, username=owner.username, password=PASSWORD)
    url = f"/programmes/{other_programme.slug}/stop-conditions/{condition_id}/"
    assert client.get(url).status_code == 404


def test_a_viewer_writing_gets_403_on_the_api(governed, condition_id, viewer):
    client = api_client_for(viewer)
    writes = [call for call in api_calls(governed.slug, condition_id) if call[0] != "get"]
    for method, url, body in writes:
        if url.endswith("/dry-run/"):
            continue  # the dry run writes nothing: a viewer may try a rule
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (method, url, response.status_code)


def test_a_viewer_writing_gets_403_on_the_pages(governed, condition_id, viewer):
    client = Client()
    assert log_in(client, username=viewer.username, password=PASSWORD)
    for method, url in page_calls(governed.slug, condition_id):
        if method == "post":
            assert client.post(url).status_code == 403, url


def test_only_the_policys_approvers_approve(governed, condition_id, editor, sponsor):
    assert approve(editor, condition_id).status_code == 403
    assert approve(sponsor, condition_id).status_code == 201
    assert approve(sponsor, condition_id).status_code == 400  # nothing waits for approval now
