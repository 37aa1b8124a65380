"""The readiness API: definition versions and their agreement, criteria, the pilot verdict, and
list endpoints in a fixed number of queries."""

import pytest
from django.utils import timezone

from governance.models import Criterion
from tests.conftest import api_client_for
from tests.governance.readiness.helpers import make_ready, name_owners, open_round

pytestmark = pytest.mark.django_db


def test_a_new_definition_version_needs_agreeing_by_the_owner_and_the_sponsor(programme):
    users = name_owners(programme)
    client = api_client_for(users["programme_owner"])
    written = client.post(
        f"/api/v1/programmes/{programme.slug}/readiness/definitions/",
        {"text": "Ready means tested."},
        format="json",
    )
    assert written.status_code == 201
    version = written.json()
    assert (version["number"], version["agreed_on"]) == (1, None)
    url = f"/api/v1/readiness/definitions/{version['id']}/agree/"
    today = timezone.localdate().isoformat()
    refused = client.post(
        url, {"agreed_on": today, "agreed_by": [programme.executive_sponsor_id]}, format="json"
    )
    assert refused.status_code == 400
    assert "The programme owner (Programme owner) must be among" in refused.json()["agreed_by"][0]
    future = client.post(
        url,
        {"agreed_on": "2999-01-01", "agreed_by": [programme.programme_owner_id]},
        format="json",
    )
    assert "cannot be in the future" in future.json()["agreed_on"][0]
    agreed = client.post(
        url,
        {
            "agreed_on": today,
            "agreed_by": [programme.programme_owner_id, programme.executive_sponsor_id],
        },
        format="json",
    )
    assert agreed.status_code == 200
    assert [p["name"] for p in agreed.json()["agreed_by"]] == [
        "Executive sponsor",
        "Programme owner",
    ]
    verdict = client.get(f"/api/v1/programmes/{programme.slug}/pilot-verdict/").json()
    assert verdict["answers"][0]["yes"] is True
    assert verdict["is_pilot"] is False


def test_the_pilot_verdict_names_each_missing_answer_and_its_fix(programme, owner):
    verdict = (
        api_client_for(owner).get(f"/api/v1/programmes/{programme.slug}/pilot-verdict/").json()
    )
    assert verdict["is_pilot"] is True
    assert verdict["summary"] == "A pilot, whatever its stage says."
    assert [a["fix_url"] for a in verdict["missing"]] == [
        f"/programmes/{programme.slug}/readiness/",
        f"/programmes/{programme.slug}/scorecard/",
        f"/programmes/{programme.slug}/oncall/",
    ]


def test_a_criterion_with_an_unknown_check_or_a_waived_status_is_refused(programme):
    users = name_owners(programme)
    url = f"/api/v1/programmes/{programme.slug}/readiness/criteria/"
    client = api_client_for(users["programme_owner"])
    bad = client.post(
        url, {"pillar": "governance", "title": "X", "evidence_check": "nope"}, format="json"
    )
    assert bad.status_code == 400
    assert "evidence_check" in bad.json()
    waived = client.post(
        url, {"pillar": "governance", "title": "X", "status": "waived"}, format="json"
    )
    assert waived.status_code == 400
    assert "status" in waived.json()
    made = client.post(url, {"pillar": "governance", "title": "Model card"}, format="json")
    assert made.status_code == 201
    assert made.json()["status"] == "not_started"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programmes/{slug}/readiness/",
        "/api/v1/programmes/{slug}/readiness/criteria/",
        "/api/v1/programmes/{slug}/readiness/reviews/",
        "/api/v1/programmes/{slug}/readiness/definitions/",
    ],
)
def test_readiness_lists_take_the_same_queries_for_more_rows(
    programme, path, django_assert_max_num_queries
):
    users = make_ready(programme)
    client = api_client_for(users["programme_owner"])
    url = path.format(slug=programme.slug)
    open_round(programme, users["programme_owner"])
    with django_assert_max_num_queries(60) as first:
        assert client.get(url).status_code == 200
    count = len(first.captured_queries)
    for n in range(30):
        Criterion.objects.create(programme=programme, pillar="red_team", title=f"Probe {n}")
    for _ in range(4):
        open_round(programme, users["programme_owner"])
    with django_assert_max_num_queries(count):
        assert client.get(url).status_code == 200
