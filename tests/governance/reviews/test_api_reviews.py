"""The reviews API: an upcoming review's live agenda, its frozen snapshot after start, hold,
cancel and move."""

import datetime as dt
from typing import Any

from django.utils import timezone

from governance.models import ActionItem, Review, ReviewStatus
from scorecards.models import Measurement, Metric
from tests.conftest import api_client_for

from .conftest import item_texts, next_review, open_incident


def test_the_upcoming_review_lists_open_actions_the_headline_and_new_incidents(
    owner: Any, review: Review, headline: Metric
) -> None:
    earlier = Review.objects.create(
        programme=review.programme,
        scheduled_for=timezone.now() - dt.timedelta(days=7),
        timezone="UTC",
        missed_after=timezone.now() - dt.timedelta(days=6),
        remind_at=timezone.now() - dt.timedelta(days=8),
        status=ReviewStatus.HELD,
        started_at=timezone.now() - dt.timedelta(days=7),
    )
    ActionItem.objects.create(
        programme=review.programme,
        raised_in=earlier,
        title="Re-label the golden set",
        owner=review.programme.technical_owner,
        due_on=timezone.now().date() + dt.timedelta(days=3),
    )
    open_incident(review.programme, "Wrong payout advice")
    open_incident(review.programme, "Old outage", opened_at=timezone.now() - dt.timedelta(days=20))

    answer = api_client_for(owner).get(f"/api/v1/reviews/{review.pk}/")

    assert answer.status_code == 200
    body = answer.json()
    assert body["agenda_is_snapshot"] is False
    agenda = body["agenda"]
    assert [s["key"] for s in agenda["sections"]] == [
        "actions",
        "scorecard",
        "incidents",
        "oncall",
        "stop_conditions",
        "cost",
        "readiness",
        "changes",
    ]
    assert any(
        "TODO(Tariq Tech) Re-label the golden set" in t for t in item_texts(agenda, "actions")
    )
    assert "Headline: OK Accuracy: 84 % vs 90 %" in item_texts(agenda, "scorecard")
    incidents = item_texts(agenda, "incidents")
    assert any("Wrong payout advice [opened" in t for t in incidents)
    assert not any("Old outage [opened" in t for t in incidents)
    assert any("Old outage [still open" in t for t in incidents)


def test_after_start_new_data_does_not_change_the_snapshot(
    owner: Any, review: Review, headline: Metric
) -> None:
    client = api_client_for(owner)
    started = client.post(f"/api/v1/reviews/{review.pk}/start/")
    assert started.status_code == 200
    assert started.json()["agenda_is_snapshot"] is True
    Measurement.objects.create(metric=headline, value=95, measured_at=timezone.now())
    open_incident(review.programme, "Arrived after the start")

    later = client.get(f"/api/v1/reviews/{review.pk}/").json()

    assert later["agenda"] == started.json()["agenda"]
    assert "Headline: OK Accuracy: 84 % vs 90 %" in item_texts(later["agenda"], "scorecard")
    assert not any("Arrived after" in t for t in item_texts(later["agenda"], "incidents"))


def test_an_open_action_appears_on_the_next_reviews_agenda(owner: Any, review: Review) -> None:
    client = api_client_for(owner)
    client.post(f"/api/v1/reviews/{review.pk}/start/")
    raised = client.post(
        f"/api/v1/reviews/{review.pk}/actions/",
        {
            "title": "Write the rollback runbook",
            "owner": review.programme.programme_owner_id,
            "due_on": (timezone.now().date() + dt.timedelta(days=5)).isoformat(),
        },
        format="json",
    )
    assert raised.status_code == 201
    assert client.post(f"/api/v1/reviews/{review.pk}/hold/").status_code == 200

    following = next_review(review.programme)
    agenda = client.get(f"/api/v1/reviews/{following.pk}/").json()["agenda"]

    assert any("Write the rollback runbook" in t for t in item_texts(agenda, "actions"))
