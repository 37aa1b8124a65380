"""Done 2: a streak condition written and approved through the API, tripped by an ingest
token's measurements, announced once, and decided "pause"."""

import datetime as dt

import pytest
from django.utils import timezone

from governance.models import StopCondition, StopConditionTrip
from governance.notification_kinds import STOP_CONDITION_TRIPPED
from programmes.models import AuditEvent, Channel, Notification, StageTransition
from programmes.registry.jobs import run_due_jobs
from tests.conftest import api_client_for
from tests.governance.stop_conditions.helpers import approve, runs, token_client, write_condition

pytestmark = pytest.mark.django_db


def _in_app_trip_notices() -> list[str]:
    return sorted(
        Notification.objects.filter(
            kind=STOP_CONDITION_TRIPPED, channel=Channel.IN_APP
        ).values_list("recipient__name", flat=True)
    )


def test_three_bad_measurements_trip_the_condition_and_pause_decides_it(
    governed, owner, sponsor, sponsor_person, headline, django_capture_on_commit_callbacks
):
    written = write_condition(owner, governed)
    assert written.status_code == 201, written.content
    condition_id = written.json()["id"]
    assert written.json()["reading"] == "not_in_force"
    assert written.json()["awaiting_approval"]["number"] == 1

    approved = approve(sponsor, condition_id)
    assert approved.status_code == 201, approved.content
    assert approved.json()["approved_by"]["name"] == "Sam Sponsor"

    harness = token_client(owner, governed)
    with django_capture_on_commit_callbacks(execute=True):
        posted = harness.post(
            f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
        )
    assert posted.status_code == 201, posted.content

    shown = api_client_for(owner).get(f"/api/v1/stop-conditions/{condition_id}/").json()
    assert shown["state"] == "tripped"
    assert shown["reading"] == "tripping"
    assert shown["distance"] == "3 of 3 consecutive measurements below 65 %"
    trip = StopConditionTrip.objects.get()
    assert [fact["value"] for fact in trip.facts] == ["60", "61", "62"]
    assert {fact["id"] for fact in trip.facts} == set(
        headline.measurements.values_list("pk", flat=True)
    )
    assert _in_app_trip_notices() == ["Olivia Owner", "Sam Sponsor"]

    with django_capture_on_commit_callbacks(execute=True):
        harness.post(
            f"/api/v1/metrics/{headline.pk}/measurements/",
            runs(55, 50, prefix="later"),
            format="json",
        )
    run_due_jobs(timezone.now() + dt.timedelta(minutes=15))
    assert StopConditionTrip.objects.count() == 1
    assert _in_app_trip_notices() == ["Olivia Owner", "Sam Sponsor"]

    decided = api_client_for(owner).post(
        f"/api/v1/stop-conditions/{condition_id}/decisions/",
        {
            "kind": "pause",
            "reason": "Accuracy fell apart after the model change.",
            "decided_by": sponsor_person.pk,
        },
        format="json",
    )
    assert decided.status_code == 201, decided.content
    governed.refresh_from_db()
    assert governed.stage == "paused"
    transition = StageTransition.objects.get(programme=governed)
    assert transition.to_stage == "paused"
    assert f"Stop condition {condition_id}" in transition.reason
    assert decided.json()["stage_transition"] == transition.pk
    assert StopCondition.objects.get().state == "decided"
    actions = set(AuditEvent.objects.filter(programme=governed).values_list("action", flat=True))
    assert {"trip", "decide", "approve", "transition"} <= actions


def test_the_scheduled_job_trips_within_a_minute_when_nothing_ran_after_commit(
    governed, owner, sponsor, headline
):
    condition_id = write_condition(owner, governed).json()["id"]
    approve(sponsor, condition_id)
    # Without the after-commit evaluation (callbacks not run), the next tick finds it due.
    token_client(owner, governed).post(
        f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
    )
    assert StopConditionTrip.objects.count() == 0

    results = run_due_jobs(timezone.now() + dt.timedelta(minutes=1))

    assert results["evaluate_stop_conditions"] == 1
    assert StopCondition.objects.get().state == "tripped"
    assert run_due_jobs(timezone.now() + dt.timedelta(minutes=2))["evaluate_stop_conditions"] == 0
