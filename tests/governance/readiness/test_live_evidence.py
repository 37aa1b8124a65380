"""Automatic criteria stay live after sign-off; waivers need the pillar's owner and lapse."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from governance.models import Criterion, Review, ReviewStatus
from governance.notification_kinds import WAIVER_EXPIRING
from governance.readiness_evidence.checks import ProgrammeFacts, RotationFacts, oncall
from governance.readiness_jobs import warn_of_expiring_waivers
from oncall import services as oncall_services
from programmes.models import Channel, Notification
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD
from tests.governance.readiness.helpers import OWNER, approve_all, make_ready, move_to_production

pytestmark = pytest.mark.django_db


def _criterion(programme, user, check):
    rows = (
        api_client_for(user)
        .get(f"/api/v1/programmes/{programme.slug}/readiness/criteria/?page_size=100")
        .json()["results"]
    )
    return next(row for row in rows if row["evidence"] and row["evidence"]["check"] == check)


def test_a_rotation_that_loses_a_member_after_sign_off_is_not_met_at_once(client, programme):
    users = make_ready(programme)
    approve_all(programme, users)
    assert move_to_production(programme, users["programme_owner"]).status_code == 200
    owner = users["programme_owner"]
    assert _criterion(programme, owner, "oncall")["status"] == "met"

    rotation = programme.rotations.get()
    oncall_services.update_rotation(
        actor=None, rotation=rotation, access=OWNER, member_ids=[programme.oncall_lead_id]
    )

    row = _criterion(programme, owner, "oncall")
    assert (row["status_label"], row["satisfied"]) == ("Not met", False)
    assert row["evidence"]["fact"] == "Primary has 1 person(s); it needs 2."
    readiness = api_client_for(owner).get(f"/api/v1/programmes/{programme.slug}/readiness/").json()
    assert readiness["passed"] is False
    assert "On-call rotation of 2 or more" in readiness["warning"]

    assert log_in(client, username=owner.username, password=PASSWORD)
    page = client.get(f"/programmes/{programme.slug}/readiness/").content.decode()
    assert "Primary has 1 person(s); it needs 2." in page
    overview = client.get(f"/programmes/{programme.slug}/").content.decode()
    assert "In production without a valid readiness sign-off" in overview


def test_a_tick_on_an_automatic_criterion_is_refused(programme):
    users = make_ready(programme)
    runbook = Criterion.objects.get(programme=programme, evidence_check="runbook")
    response = api_client_for(users["programme_owner"]).patch(
        f"/api/v1/readiness/criteria/{runbook.pk}/", {"status": "met"}, format="json"
    )
    assert response.status_code == 400
    assert "Keel checks this criterion itself" in response.json()["status"][0]


def test_a_waiver_needs_the_pillars_owner_and_is_capped(programme):
    users = make_ready(programme)
    jailbreak = Criterion.objects.get(programme=programme, title="Jailbreak tests pass")
    url = f"/api/v1/readiness/criteria/{jailbreak.pk}/waivers/"
    refused = api_client_for(users["product_owner"]).post(url, {"reason": "Later"}, format="json")
    assert refused.status_code == 403
    assert "security owner" in refused.json()["detail"]
    too_long = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    capped = api_client_for(users["security_owner"]).post(
        url, {"reason": "Later", "expires_on": too_long}, format="json"
    )
    assert capped.status_code == 400
    assert "at most 183 days" in capped.json()["expires_on"][0]
    granted = api_client_for(users["security_owner"]).post(
        url, {"reason": "Suite lands in Q1"}, format="json"
    )
    assert granted.status_code == 201
    assert (
        granted.json()["expires_on"] == (timezone.localdate() + dt.timedelta(days=183)).isoformat()
    )


def test_an_expired_waiver_reopens_its_criterion_and_says_so(programme):
    users = make_ready(programme)
    jailbreak = Criterion.objects.get(programme=programme, title="Jailbreak tests pass")
    jailbreak.status = "in_progress"
    jailbreak.save()
    expires = timezone.localdate() + dt.timedelta(days=20)
    response = api_client_for(users["security_owner"]).post(
        f"/api/v1/readiness/criteria/{jailbreak.pk}/waivers/",
        {"reason": "Suite lands next month", "expires_on": expires.isoformat()},
        format="json",
    )
    assert response.status_code == 201
    url = f"/api/v1/readiness/criteria/{jailbreak.pk}/"
    assert api_client_for(users["programme_owner"]).get(url).json()["status"] == "waived"

    warn_at = timezone.now() + dt.timedelta(days=7)
    warn_of_expiring_waivers(warn_at)
    warn_of_expiring_waivers(warn_at)
    warned = Notification.objects.filter(kind=WAIVER_EXPIRING, channel=Channel.IN_APP)
    assert [n.recipient_id for n in warned] == [programme.security_owner_id]

    with time_machine.travel(timezone.now() + dt.timedelta(days=21), tick=False):
        row = api_client_for(users["programme_owner"]).get(url).json()
    assert row["status"] == "in_progress"
    assert row["reopened"] == (
        f"Its waiver expired on {expires:%Y-%m-%d}: the criterion is open again."
    )


def test_the_rotation_check_reads_a_gap_as_not_met():
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    gap = now + dt.timedelta(days=3)
    facts = ProgrammeFacts(
        now=now,
        rotations=(RotationFacts(name="Primary", fewest_people=3, first_gap=gap),),
        headline=None,
        runbooks=0,
        missing_owner_roles=(),
        cost_envelope=None,
        cost_per_task_measured_at=None,
        risk_owner=None,
    )
    evidence = oncall(facts)
    assert (evidence.holds, evidence.fact) == (
        False,
        "Primary has nobody on call from 2026-12-04 00:00 UTC.",
    )


def test_the_weekly_review_says_so_when_readiness_stops_holding(programme):
    users = make_ready(programme)
    approve_all(programme, users)
    assert move_to_production(programme, users["programme_owner"]).status_code == 200
    owner = users["programme_owner"]
    review = (
        Review.objects.filter(programme=programme, status=ReviewStatus.SCHEDULED)
        .order_by("scheduled_for")
        .first()
    )
    assert review is not None

    def readiness_items():
        agenda = api_client_for(owner).get(f"/api/v1/reviews/{review.pk}/").json()["agenda"]
        found = next(s for s in agenda["sections"] if s["key"] == "readiness")
        return [(i["tone"], i["text"]) for i in found["items"]]

    assert readiness_items()[0] == (
        "ok",
        "OK readiness holds: four approvals in force, every criterion met or waived",
    )
    oncall_services.update_rotation(
        actor=None,
        rotation=programme.rotations.get(),
        access=OWNER,
        member_ids=[programme.oncall_lead_id],
    )
    tone, text = readiness_items()[0]
    assert tone == "bad"
    assert text.startswith("BAD in production, readiness no longer holds: Criteria not met")
    assert "On-call rotation of 2 or more" in text
