"""Stop conditions in the weekly review: section 5 lists each condition with its state and
distance, a tripped one as an item that needs a decision; "hold" is refused until it has a
decision (the same record as on the condition's page) or a deferral with a reason."""

from typing import Any

import pytest
from django.test import Client

from governance.models import Decision, Review, StopConditionDecision
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD, MetricFactory
from tests.governance.stop_conditions.helpers import approve, runs, token_client, write_condition

from .conftest import agenda_section, next_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def headline(programme: Any) -> Any:
    """A headline measured only by the tests' runs (the stop-condition tests' own)."""
    return MetricFactory(programme=programme, name="Routing accuracy")


@pytest.fixture
def tripped(
    governed: Any, owner: Any, sponsor: Any, headline: Any, django_capture_on_commit_callbacks: Any
) -> int:
    """A streak condition written, approved and tripped by three bad measurements."""
    condition_id = write_condition(owner, governed).json()["id"]
    assert approve(sponsor, condition_id).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        token_client(owner, governed).post(
            f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
        )
    return int(condition_id)


@pytest.fixture
def written_only(
    governed: Any, owner: Any, sponsor: Any, django_capture_on_commit_callbacks: Any
) -> int:
    condition_id = write_condition(
        owner, governed, rule_kind="", text="A regulator asks us to stop: pause."
    ).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(sponsor, condition_id).status_code == 201
    return int(condition_id)


def _started(owner: Any, governed: Any) -> tuple[Any, Review]:
    client = api_client_for(owner)
    review = next_review(governed)
    assert client.post(f"/api/v1/reviews/{review.pk}/start/").status_code == 200
    return client, review


def test_the_agenda_lists_a_tripped_condition_as_needing_a_decision_and_a_written_one_as_a_question(
    owner: Any, governed: Any, tripped: int, written_only: int
) -> None:
    review = next_review(governed)
    agenda = api_client_for(owner).get(f"/api/v1/reviews/{review.pk}/").json()["agenda"]
    section = agenda_section(agenda, "stop_conditions")
    assert section["number"] == 5
    by_key = {entry["key"]: entry for entry in section["items"]}
    trip = by_key[f"stop-condition:{tripped}"]
    assert trip["needs_decision"] is True
    assert trip["text"].startswith("Tripped: Routing accuracy below 65 %")
    assert "3 of 3 consecutive measurements below 65 %" in trip["detail"]
    question = by_key[f"stop-condition:{written_only}"]
    assert question["question"] is True
    assert question["needs_decision"] is False
    assert question["text"] == "Has this happened? A regulator asks us to stop: pause."


def test_hold_is_refused_until_the_tripped_condition_is_decided_and_the_decision_is_shared(
    owner: Any, governed: Any, tripped: int, sponsor_person: Any
) -> None:
    client, review = _started(owner, governed)

    refused = client.post(f"/api/v1/reviews/{review.pk}/hold/")
    assert refused.status_code == 400
    assert "Record a decision on each tripped stop condition" in refused.json()["status"][0]

    decided = client.post(
        f"/api/v1/reviews/{review.pk}/decisions/",
        {
            "kind": "escalate",
            "text": "Take it to the risk committee on Friday.",
            "agenda_item": f"stop-condition:{tripped}",
            "decided_by": sponsor_person.pk,
        },
        format="json",
    )
    assert decided.status_code == 201, decided.json()
    shared = StopConditionDecision.objects.get(condition_id=tripped)
    assert decided.json()["stop_condition_decision"] == shared.pk
    assert shared.reason == "Take it to the risk committee on Friday."
    assert shared.decided_by == sponsor_person
    on_its_page = client.get(f"/api/v1/stop-conditions/{tripped}/decisions/").json()
    assert [d["id"] for d in on_its_page["results"]] == [shared.pk]

    assert client.post(f"/api/v1/reviews/{review.pk}/hold/").status_code == 200


def test_a_deferral_with_a_reason_lets_the_review_be_held(
    owner: Any, governed: Any, tripped: int
) -> None:
    client, review = _started(owner, governed)
    no_reason = client.post(
        f"/api/v1/reviews/{review.pk}/decisions/",
        {"kind": "defer", "text": " ", "agenda_item": f"stop-condition:{tripped}"},
        format="json",
    )
    assert no_reason.status_code == 400
    assert no_reason.json()["text"] == ["Say why the item is deferred."]
    deferred = client.post(
        f"/api/v1/reviews/{review.pk}/decisions/",
        {
            "kind": "defer",
            "text": "The sponsor is away; she decides on Monday.",
            "agenda_item": f"stop-condition:{tripped}",
        },
        format="json",
    )
    assert deferred.status_code == 201
    assert not StopConditionDecision.objects.exists()
    assert client.post(f"/api/v1/reviews/{review.pk}/hold/").status_code == 200


def test_a_decision_taken_on_the_condition_page_during_the_meeting_counts(
    owner: Any, governed: Any, tripped: int, sponsor_person: Any
) -> None:
    client, review = _started(owner, governed)
    on_page = client.post(
        f"/api/v1/stop-conditions/{tripped}/decisions/",
        {"kind": "escalate", "reason": "Risk committee.", "decided_by": sponsor_person.pk},
        format="json",
    )
    assert on_page.status_code == 201
    assert client.post(f"/api/v1/reviews/{review.pk}/hold/").status_code == 200


def test_a_stop_condition_decision_by_someone_who_may_not_decide_is_refused_whole(
    owner: Any, governed: Any, tripped: int
) -> None:
    client, review = _started(owner, governed)
    answer = client.post(
        f"/api/v1/reviews/{review.pk}/decisions/",
        {"kind": "other", "text": "Hmm", "agenda_item": f"stop-condition:{tripped}"},
        format="json",
    )
    assert answer.status_code == 400
    assert "continue, rescope, pause or escalate" in answer.json()["kind"][0]
    continued = client.post(
        f"/api/v1/reviews/{review.pk}/decisions/",
        {"kind": "continue", "text": "Fine", "agenda_item": f"stop-condition:{tripped}"},
        format="json",
    )
    assert continued.status_code == 400
    assert not Decision.objects.exists()
    assert not StopConditionDecision.objects.exists()


def test_on_the_page_a_tripped_condition_needs_a_decision_and_the_form_decides_it(
    owner: Any, governed: Any, tripped: int, sponsor_person: Any
) -> None:
    client, review = _started(owner, governed)
    browser = Client()
    assert log_in(browser, username=owner.username, password=PASSWORD)
    page = browser.get(review.get_absolute_url()).content.decode()
    assert "needs a decision" in page
    held = browser.post(review.get_absolute_url() + "hold/")
    assert held.status_code == 302
    assert (
        "Record a decision on each tripped stop condition"
        in browser.get(review.get_absolute_url()).content.decode()
    )

    decided = browser.post(
        review.get_absolute_url() + "decision/",
        {
            "kind": "pause",
            "agenda_item": f"stop-condition:{tripped}",
            "text": "Accuracy collapsed after the model change.",
            "decided_by": sponsor_person.pk,
        },
        HTTP_HX_REQUEST="true",
    )
    assert decided.status_code == 200
    assert "recorded on the stop condition" in decided.content.decode()
    governed.refresh_from_db()
    assert governed.stage == "paused"
    assert client.post(f"/api/v1/reviews/{review.pk}/hold/").status_code == 200
