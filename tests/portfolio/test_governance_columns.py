"""The dashboard's governance columns: readiness, the pilot verdict, the last weekly review and
overdue actions, and governance's part of what changed since Monday."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from governance.models import (
    ActionItem,
    ReadinessReview,
    Review,
    ReviewStatus,
    SignOff,
    SignOffDecision,
    StopCondition,
)
from governance.selectors.pilot_verdict import pilot_verdicts
from governance.selectors.readiness import readiness_of
from governance.selectors.readiness_many import readiness_summaries, signoff_word
from governance.services.stop_conditions import record_decision
from incidents.models import Incident, Severity
from programmes.models import Person, Programme, Stage
from programmes.rules import access_for
from tests.conftest import api_client_for
from tests.factories import PersonFactory, ProgrammeFactory, leadership_user

from .conftest import client_of

pytestmark = pytest.mark.django_db


def slugs_on(response: Any) -> list[str]:
    return re.findall(r'class="programme-row[^"]*" data-slug="([^"]+)"', response.content.decode())


def row_html(response: Any, slug: str) -> str:
    html = response.content.decode()
    start = html.index(f'data-slug="{slug}"')
    return html[start : html.index("</tr>", start)]


def leader_client() -> Client:
    client = Client()
    client.force_login(leadership_user(username="lena"))
    return client


def past_review(programme: Programme, status: str, days_ago: int) -> Review:
    at = timezone.now() - dt.timedelta(days=days_ago)
    return Review.objects.create(
        programme=programme,
        scheduled_for=at,
        timezone="Europe/London",
        missed_after=at + dt.timedelta(hours=12),
        remind_at=at - dt.timedelta(days=1),
        status=status,
        held_at=at if status == ReviewStatus.HELD else None,
        closed_at=at + dt.timedelta(hours=12),
    )


def test_the_readiness_column_shows_criteria_met_and_the_signoff(demo: list[Programme]):
    response = client_of("leader").get("/")
    assert ">Readiness</a>" in response.content.decode()
    claims = row_html(response, "claims-triage-assistant")
    assert re.search(r"(\d+) of \1 criteria met", claims)
    assert "sign-off valid until" in claims
    assert "re-attest" in row_html(response, "fraud-alert-summariser")
    assert "sign-offs pending" in row_html(response, "customer-support-copilot")


def test_the_bulk_readiness_is_the_readiness_tab_s(demo: list[Programme]):
    now = timezone.now()
    programmes = list(Programme.objects.select_related("risk_owner", "oncall_lead"))
    summaries = readiness_summaries(programmes, now)
    for programme in programmes:
        one = readiness_of(programme, now)
        summary = summaries[programme.pk]
        assert summary.passed == one.passed
        assert summary.criteria_met == sum(state.satisfied for state in one.criteria)
        assert summary.criteria_total == len(one.criteria)
        assert summary.signoff == signoff_word(one.current.signoffs if one.current else None)


def test_production_with_an_expired_signoff_comes_second_and_says_why(demo: list[Programme]):
    claims = Programme.objects.get(slug="claims-triage-assistant")
    SignOff.objects.filter(review__programme=claims, decision=SignOffDecision.APPROVED).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = client_of("leader").get("/")
    row = row_html(response, claims.slug)
    assert "sign-off expired" in row
    assert re.findall(r'class="reason-(\w+)">([^<]*)<', row)[:2] == [
        ("tripped", "1 stop condition tripped"),
        ("signoff_lapsed", "in production without a valid sign-off: a sign-off expired"),
    ]


def test_a_lapsed_production_signoff_outranks_an_open_sev1_and_red():
    production = ProgrammeFactory(name="Zeta in production", stage=Stage.PRODUCTION)
    rescoped = ProgrammeFactory(name="Alpha rescoped", stage=Stage.RESCOPED)
    Incident.objects.create(
        programme=rescoped, title="Outage", severity=Severity.SEV1, opened_at=timezone.now()
    )
    response = leader_client().get("/")
    assert slugs_on(response)[:2] == [production.slug, rescoped.slug]
    assert "in production without a valid sign-off: no readiness review" in row_html(
        response, production.slug
    )


def test_the_pilots_bucket_is_the_pilot_verdict_whatever_the_stage(demo: list[Programme]):
    silent = ProgrammeFactory(name="Silent production", stage=Stage.PRODUCTION)
    verdicts = pilot_verdicts(Programme.objects.exclude(stage=Stage.RETIRED), timezone.now())
    pilots = {
        p.slug for p in Programme.objects.exclude(stage=Stage.RETIRED) if verdicts[p.pk].is_pilot
    }
    assert silent.slug in pilots
    assert "claims-triage-assistant" not in pilots
    leader = client_of("leader")
    assert set(slugs_on(leader.get("/?bucket=pilots"))) == pilots
    assert set(slugs_on(leader.get("/?pilots=on"))) == pilots
    response = leader.get("/")
    assert "a pilot, whatever its stage says" in row_html(response, silent.slug)
    assert "a pilot, whatever its stage says" not in row_html(response, "claims-triage-assistant")
    api = api_client_for(leadership_user(username="lena")).get("/api/v1/portfolio/?pilots=on")
    assert {row["slug"] for row in api.json()["results"]} == pilots


def test_missed_reviews_in_a_row_are_shown_and_ranked():
    owner = PersonFactory()
    missing = ProgrammeFactory(name="Missing reviews", stage=Stage.PILOT, programme_owner=owner)
    for days_ago, status in (
        (21, ReviewStatus.HELD),
        (14, ReviewStatus.MISSED),
        (7, ReviewStatus.MISSED),
    ):
        past_review(missing, status, days_ago)
    held = past_review(missing, ReviewStatus.CANCELLED, 2)
    ActionItem.objects.create(
        programme=missing,
        raised_in=held,
        title="Fix the eval set",
        owner=owner,
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    row = row_html(leader_client().get("/"), missing.slug)
    assert "2 weekly reviews missed in a row" in row
    assert "Missed" in row
    assert "1 overdue action" in row
    api = api_client_for(leadership_user(username="lea")).get("/api/v1/portfolio/")
    record = next(r for r in api.json()["results"] if r["slug"] == missing.slug)
    assert record["reviews"]["missed_in_a_row"] == 2
    assert record["reviews"]["last"] == "missed"
    assert record["overdue_actions"] == 1
    assert [r["key"] for r in record["reasons"]][:2] == ["not_reported", "missed_reviews"]


def test_what_changed_has_decisions_reviews_and_signoffs(demo: list[Programme]):
    claims = Programme.objects.get(slug="claims-triage-assistant")
    leader = leadership_user(username="lena")
    condition = StopCondition.objects.get(programme=claims, state="tripped")
    record_decision(
        actor=leader,
        condition=condition,
        access=access_for(role="owner", is_staff=False, is_leadership=True),
        kind="escalate",
        reason="Board to decide",
        decided_by=claims.executive_sponsor,
    )
    past_review(claims, ReviewStatus.MISSED, 0)
    client = Client()
    client.force_login(leader)
    html = client.get("/portfolio/changes/").content.decode()
    assert "stop condition decided: escalate" in html
    assert "missed" in html
    assert "signed off by" in html
    answer = api_client_for(leader).get("/api/v1/portfolio/changes/").json()["results"]
    kinds = {c["kind"] for p in answer for c in p["changes"]}
    assert {"decision", "review", "signoff"} <= kinds
    column = client.get("/?changes=1").content.decode()
    assert "stop condition decided: escalate" in column


def test_an_expired_signoff_is_a_change():
    programme = ProgrammeFactory(name="Old sign-off", stage=Stage.PRODUCTION)
    signer = Person.objects.create(name="Fatima Haddad", email="f@example.com")
    review = ReadinessReview.objects.create(programme=programme, round=1)
    now = timezone.now()
    SignOff.objects.create(
        review=review,
        role="risk",
        signer=signer,
        decision=SignOffDecision.APPROVED,
        decided_at=now - dt.timedelta(days=366),
        attested_at=now - dt.timedelta(days=366),
        expires_at=now - dt.timedelta(hours=2),
    )
    client = leader_client()
    html = client.get("/portfolio/changes/").content.decode()
    assert "sign-off by Fatima Haddad expired" in html


def test_the_demo_shows_every_bucket_at_least_once(demo: list[Programme]):
    html = client_of("leader").get("/").content.decode()
    counts = dict(
        (label, int(count))
        for count, label in re.findall(r"<strong>(\d+)</strong> ([A-Za-z ]+)</a>", html)
    )
    for label in ("Tripped", "Red", "Amber", "Green", "Not reported", "Pilots"):
        assert counts[label] >= 1, (label, counts)
