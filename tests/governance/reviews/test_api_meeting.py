"""What the meeting records through the API — attendance, notes, decisions, action items,
upcoming changes — and the answers to bad input."""

import datetime as dt
from typing import Any

from django.utils import timezone

from governance.models import ActionItem, Decision, Review, ReviewStatus
from programmes.models import Programme
from tests.conftest import api_client_for

from .conftest import item_texts, next_review


def _started(client: Any, review: Review) -> None:
    assert client.post(f"/api/v1/reviews/{review.pk}/start/").status_code == 200


def test_an_action_without_an_owner_or_a_due_date_is_refused_with_both_messages(
    owner: Any, review: Review
) -> None:
    client = api_client_for(owner)
    _started(client, review)

    answer = client.post(
        f"/api/v1/reviews/{review.pk}/actions/", {"title": "Fix it"}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["owner"] == ["Every action has an owner: name the person who will do it."]
    assert answer.json()["due_on"] == ["Give the action a due date."]
    assert not ActionItem.objects.exists()


def test_an_action_due_in_the_year_9999_is_refused(owner: Any, review: Review) -> None:
    client = api_client_for(owner)
    _started(client, review)
    answer = client.post(
        f"/api/v1/reviews/{review.pk}/actions/",
        {"title": "Later", "owner": review.programme.programme_owner_id, "due_on": "9999-01-01"},
        format="json",
    )
    assert answer.status_code == 400
    assert "ten years ahead" in answer.json()["due_on"][0]


def test_a_decision_on_a_review_of_another_programme_is_not_found(
    owner: Any, review: Review, other_programme: Programme
) -> None:
    theirs = next_review(other_programme)
    answer = api_client_for(owner).post(
        f"/api/v1/reviews/{theirs.pk}/decisions/",
        {"kind": "continue", "text": "Carry on"},
        format="json",
    )
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No such review."}
    assert not Decision.objects.exists()


def test_a_decision_on_an_item_of_another_review_is_refused(owner: Any, review: Review) -> None:
    client = api_client_for(owner)
    _started(client, review)
    answer = client.post(
        f"/api/v1/reviews/{review.pk}/decisions/",
        {"kind": "pause", "text": "Stop", "agenda_item": "stop-condition:999"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["agenda_item"] == ["That item is not on this review's agenda."]


def test_a_decision_is_typed_and_linked_to_its_agenda_item(
    owner: Any, review: Review, headline: Any
) -> None:
    client = api_client_for(owner)
    _started(client, review)
    answer = client.post(
        f"/api/v1/reviews/{review.pk}/decisions/",
        {
            "kind": "rescope",
            "text": "Drop the long-tail claims",
            "agenda_item": f"scorecard:metric:{headline.pk}",
        },
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json()["kind"] == "rescope"
    listed = client.get(f"/api/v1/reviews/{review.pk}/decisions/").json()["results"]
    assert [d["agenda_item"] for d in listed] == [f"scorecard:metric:{headline.pk}"]


def test_an_unknown_decision_kind_is_refused(owner: Any, review: Review) -> None:
    client = api_client_for(owner)
    _started(client, review)
    answer = client.post(
        f"/api/v1/reviews/{review.pk}/decisions/", {"kind": "shrug", "text": "?"}, format="json"
    )
    assert answer.status_code == 400
    assert "kind" in answer.json()


def test_holding_a_cancelled_review_is_refused(owner: Any, review: Review) -> None:
    client = api_client_for(owner)
    cancelled = client.post(
        f"/api/v1/reviews/{review.pk}/cancel/", {"reason": "Quarter-end freeze"}, format="json"
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"

    answer = client.post(f"/api/v1/reviews/{review.pk}/hold/")

    assert answer.status_code == 400
    assert answer.json()["status"] == ["This review was cancelled: you cannot mark it held."]


def test_cancelling_needs_a_reason(owner: Any, review: Review) -> None:
    answer = api_client_for(owner).post(
        f"/api/v1/reviews/{review.pk}/cancel/", {"reason": "  "}, format="json"
    )
    assert answer.status_code == 400
    review.refresh_from_db()
    assert review.status == ReviewStatus.SCHEDULED


def test_a_review_moves_once(owner: Any, review: Review) -> None:
    client = api_client_for(owner)
    to = review.scheduled_for + dt.timedelta(days=1)
    moved = client.post(f"/api/v1/reviews/{review.pk}/move/", {"to": to.isoformat()}, format="json")
    assert moved.status_code == 200
    assert moved.json()["moved_from"] is not None
    again = client.post(
        f"/api/v1/reviews/{review.pk}/move/",
        {"to": (to + dt.timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert again.status_code == 400
    assert "moved once already" in again.json()["to"][0]


def test_holding_before_the_start_is_refused(owner: Any, review: Review) -> None:
    answer = api_client_for(owner).post(f"/api/v1/reviews/{review.pk}/hold/")
    assert answer.status_code == 400
    assert "Start the review" in answer.json()["status"][0]


def test_attendance_notes_and_the_minutes_recipients(owner: Any, review: Review) -> None:
    client = api_client_for(owner)
    _started(client, review)
    sponsor = review.programme.executive_sponsor_id
    assert (
        client.post(
            f"/api/v1/reviews/{review.pk}/attendance/",
            {"person": sponsor, "present": True},
            format="json",
        ).status_code
        == 201
    )
    guest = client.post(
        f"/api/v1/reviews/{review.pk}/attendance/", {"guest_name": "Ana Auditor"}, format="json"
    )
    assert guest.status_code == 201
    neither = client.post(f"/api/v1/reviews/{review.pk}/attendance/", {}, format="json")
    assert neither.status_code == 400
    notes = client.put(
        f"/api/v1/reviews/{review.pk}/notes/",
        {"notes": "**Agreed** <script>alert(1)</script>"},
        format="json",
    )
    assert notes.status_code == 200
    rows = client.get(f"/api/v1/reviews/{review.pk}/attendance/").json()["results"]
    assert {(r["guest_name"], r["present"]) for r in rows} == {("", True), ("Ana Auditor", True)}


def test_an_upcoming_change_joins_the_live_agenda_before_the_start(
    owner: Any, review: Review
) -> None:
    client = api_client_for(owner)
    added = client.post(
        f"/api/v1/reviews/{review.pk}/upcoming-changes/",
        {"title": "Switch to the new model", "description": "Friday"},
        format="json",
    )
    assert added.status_code == 201
    agenda = client.get(f"/api/v1/reviews/{review.pk}/").json()["agenda"]
    assert item_texts(agenda, "changes") == ["Switch to the new model"]
    _started(client, review)
    late = client.post(
        f"/api/v1/reviews/{review.pk}/upcoming-changes/", {"title": "Too late"}, format="json"
    )
    assert late.status_code == 400


def test_an_action_is_dropped_only_with_a_reason_and_closed_ones_leave_the_open_list(
    owner: Any, review: Review
) -> None:
    client = api_client_for(owner)
    _started(client, review)
    action = client.post(
        f"/api/v1/reviews/{review.pk}/actions/",
        {
            "title": "Ask legal",
            "owner": review.programme.programme_owner_id,
            "due_on": (timezone.now().date() + dt.timedelta(days=2)).isoformat(),
        },
        format="json",
    ).json()
    refused = client.patch(
        f"/api/v1/action-items/{action['id']}/", {"status": "dropped"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["reason"] == ["Say why the action is dropped."]
    dropped = client.patch(
        f"/api/v1/action-items/{action['id']}/",
        {"status": "dropped", "reason": "Legal already signed off"},
        format="json",
    )
    assert dropped.status_code == 200
    assert dropped.json()["closed_in"] == review.pk
    listed = client.get(
        f"/api/v1/programmes/{review.programme.slug}/action-items/?status=open"
    ).json()
    assert listed["count"] == 0
