"""Production through the API: a passed review opens it; anything missing answers 400 naming it."""

import pytest

from governance.models import Criterion
from programmes.models import Programme
from tests.conftest import api_client_for
from tests.governance.readiness.helpers import (
    approve_all,
    make_ready,
    move_to_production,
    open_round,
    sign,
)

pytestmark = pytest.mark.django_db


def test_four_approvals_by_four_people_with_every_criterion_met_open_production(programme):
    users = make_ready(programme)
    approve_all(programme, users)
    response = move_to_production(programme, users["programme_owner"])
    assert response.status_code == 200, response.json()
    assert Programme.objects.get(pk=programme.pk).stage == "production"


def test_three_approvals_answer_400_naming_the_missing_role(programme):
    users = make_ready(programme)
    approve_all(programme, users, roles=("delivery", "security", "risk"))
    response = move_to_production(programme, users["programme_owner"])
    assert response.status_code == 400
    message = response.json()["stage"][0]
    assert "Product has not approved (pending: Product owner)" in message
    assert Programme.objects.get(pk=programme.pk).stage == "readiness_review"


def test_two_roles_signed_by_one_person_answer_400(programme):
    users = make_ready(programme)
    programme.product_owner = programme.delivery_lead
    programme.save()
    review = open_round(programme, users["programme_owner"])
    for signoff in review["signoffs"]:
        signer = users["delivery_lead"] if signoff["role"] == "product" else None
        role_user = {
            "delivery": "delivery_lead",
            "security": "security_owner",
            "risk": "risk_owner",
            "product": "delivery_lead",
        }[signoff["role"]]
        assert sign(signoff["id"], signer or users[role_user]).status_code == 200
    response = move_to_production(programme, users["programme_owner"])
    assert response.status_code == 400
    assert (
        "Delivery and Product are signed by one person (Delivery lead): four different people "
        "must sign." in response.json()["stage"][0]
    )


def test_an_unmet_criterion_answers_400_naming_it(programme):
    users = make_ready(programme)
    Criterion.objects.filter(programme=programme, title="Jailbreak tests pass").update(
        status="in_progress"
    )
    approve_all(programme, users)
    response = move_to_production(programme, users["programme_owner"])
    assert response.status_code == 400
    assert "Criteria not met or waived: Jailbreak tests pass." in response.json()["stage"][0]


def test_without_a_review_production_stays_closed(programme):
    users = make_ready(programme)
    response = move_to_production(programme, users["programme_owner"])
    assert response.status_code == 400
    assert "No readiness review is open" in response.json()["stage"][0]


def test_a_rejection_closes_the_round_and_a_new_round_keeps_its_record(programme):
    users = make_ready(programme)
    review = open_round(programme, users["programme_owner"])
    security = next(s for s in review["signoffs"] if s["role"] == "security")
    refused = sign(security["id"], users["security_owner"], "rejected")
    assert refused.status_code == 400
    assert "what must change" in refused.json()["comment"][0]
    assert (
        sign(
            security["id"], users["security_owner"], "rejected", "Run the jailbreak suite"
        ).status_code
        == 200
    )
    open_round(programme, users["programme_owner"])
    rounds = users["programme_owner"]

    listed = (
        api_client_for(rounds).get(f"/api/v1/programmes/{programme.slug}/readiness/reviews/").json()
    )
    assert [(r["round"], r["outcome"]) for r in listed["results"]] == [(2, "open"), (1, "rejected")]
    old = next(s for s in listed["results"][1]["signoffs"] if s["role"] == "security")
    assert (old["decision"], old["comment"]) == ("rejected", "Run the jailbreak suite")
