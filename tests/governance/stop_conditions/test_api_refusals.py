"""Done 5: bad input answers 400 with a message on the field, and nothing is saved."""

import datetime as dt

import pytest

from governance.models import StopCondition, StopConditionDecision, StopPolicy
from tests.conftest import api_client_for
from tests.factories import MetricFactory, PersonFactory
from tests.governance.stop_conditions.helpers import (
    approve,
    runs,
    token_client,
    write_condition,
)

pytestmark = pytest.mark.django_db


def test_a_metric_of_another_programme_is_refused(governed, owner, other_programme):
    theirs = MetricFactory(programme=other_programme, name="Their accuracy")
    response = write_condition(
        owner, governed, rule={"metric": theirs.pk, "threshold": "65", "count": 3}
    )
    assert response.status_code == 400
    assert response.json() == {
        "rule.metric": ["That metric is not one of this programme's metrics."]
    }
    assert not StopCondition.objects.exists()


def test_n_below_one_is_refused(governed, owner):
    response = write_condition(owner, governed, rule={"threshold": "65", "count": 0})
    assert response.status_code == 400
    assert response.json() == {"rule.count": ["Measurements in a row (N) must be at least 1."]}


def test_a_state_and_date_in_the_past_is_refused(governed, owner):
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = write_condition(
        owner, governed, rule_kind="state_and_date", rule={"by_date": yesterday, "value": "80"}
    )
    assert response.status_code == 400
    assert "is not in the future" in response.json()["rule.by_date"][0]


def test_a_threshold_on_the_wrong_side_of_the_baseline_is_refused(governed, owner):
    response = write_condition(owner, governed, rule={"threshold": "75", "count": 3})
    assert response.status_code == 400
    assert response.json()["rule.threshold"] == [
        "The threshold (75) is on the wrong side of the baseline (70): higher is better for "
        "Routing accuracy, so a stop threshold sits at or below the baseline."
    ]


def test_a_missing_parameter_and_an_unknown_kind_are_refused(governed, owner):
    missing = write_condition(owner, governed, rule={"count": 3})
    unknown = write_condition(owner, governed, rule_kind="vibes", rule={})
    assert missing.json() == {"rule.threshold": ["Threshold (X) is needed for this kind of rule."]}
    assert "“vibes” is not a kind of rule" in unknown.json()["rule_kind"][0]


def test_an_approver_who_is_the_author_is_refused(governed, owner, owner_person):
    response = api_client_for(owner).put(
        f"/api/v1/programmes/{governed.slug}/stop-policy/",
        {"author": owner_person.pk, "approvers": [owner_person.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "approvers": [
            "Olivia Owner wrote the policy and cannot also approve it: name someone else."
        ]
    }
    assert not StopPolicy.objects.exists()


def test_an_approver_cannot_approve_the_version_they_wrote(
    governed, owner, sponsor, sponsor_person
):
    condition_id = write_condition(owner, governed).json()["id"]
    revised = api_client_for(owner).patch(
        f"/api/v1/stop-conditions/{condition_id}/", {"text": "Sharper wording."}, format="json"
    )
    assert revised.status_code == 200
    policy = StopPolicy.objects.get()
    policy.approvers.add(PersonFactory(name="Second Approver"))
    # The sponsor is an editor now and writes version 3 themself.
    from programmes.models import Membership

    Membership.objects.filter(user=sponsor).update(role="editor")
    api_client_for(sponsor).patch(
        f"/api/v1/stop-conditions/{condition_id}/", {"text": "Sam's words."}, format="json"
    )
    response = approve(sponsor, condition_id)
    assert response.status_code == 400
    assert response.json() == {
        "approved_by": [
            "Sam Sponsor wrote this version and cannot approve it: another approver must."
        ]
    }


def test_a_decision_by_someone_who_may_not_decide_is_refused(
    governed, owner, sponsor, headline, django_capture_on_commit_callbacks
):
    condition_id = write_condition(owner, governed).json()["id"]
    approve(sponsor, condition_id)
    with django_capture_on_commit_callbacks(execute=True):
        token_client(owner, governed).post(
            f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
        )
    bystander = PersonFactory(name="Bea Bystander")
    response = api_client_for(owner).post(
        f"/api/v1/stop-conditions/{condition_id}/decisions/",
        {"kind": "pause", "reason": "Because.", "decided_by": bystander.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "decided_by": [
            "Bea Bystander may not decide: a trip is decided by the executive sponsor or one of "
            "the policy's approvers."
        ]
    }
    assert not StopConditionDecision.objects.exists()
    governed.refresh_from_db()
    assert governed.stage == "pilot"


def test_continue_without_a_revisit_date_is_refused(
    governed, owner, sponsor, sponsor_person, headline, django_capture_on_commit_callbacks
):
    condition_id = write_condition(owner, governed).json()["id"]
    approve(sponsor, condition_id)
    with django_capture_on_commit_callbacks(execute=True):
        token_client(owner, governed).post(
            f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
        )
    response = api_client_for(owner).post(
        f"/api/v1/stop-conditions/{condition_id}/decisions/",
        {"kind": "continue", "reason": "Fine.", "decided_by": sponsor_person.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"revisit_on": ["“Continue” needs a revisit date."]}


def test_a_decision_without_a_trip_is_refused(governed, owner, sponsor, sponsor_person):
    condition_id = write_condition(owner, governed).json()["id"]
    response = api_client_for(owner).post(
        f"/api/v1/stop-conditions/{condition_id}/decisions/",
        {"kind": "escalate", "reason": "Just in case.", "decided_by": sponsor_person.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"kind": ["This condition has no trip waiting for a decision."]}
