"""Two criteria Keel checks itself from governance's own data: a weekly review held in the last
8 days, and an approved stop condition with a rule. Both stay live after sign-off."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Criterion, StopConditionVersion
from governance.readiness_evidence import programme_facts
from programmes.models import Programme
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD, ProgrammeFactory
from tests.governance.readiness.helpers import (
    approve_all,
    hold_review,
    make_ready,
    move_to_production,
    ruled_stop_condition,
)

pytestmark = pytest.mark.django_db


def _criterion(programme, user, check):
    rows = (
        api_client_for(user)
        .get(f"/api/v1/programmes/{programme.slug}/readiness/criteria/?page_size=100")
        .json()["results"]
    )
    return next(row for row in rows if row["evidence"] and row["evidence"]["check"] == check)


def test_both_are_in_the_default_set_and_met_from_the_data(programme):
    users = make_ready(programme)
    owner = users["programme_owner"]
    checks = set(
        Criterion.objects.filter(programme=programme).values_list("evidence_check", flat=True)
    )
    assert {"weekly_review", "stop_condition"} <= checks
    review = _criterion(programme, owner, "weekly_review")
    assert review["status"] == "met"
    assert review["evidence"]["fact"].startswith("Last weekly review held ")
    assert review["evidence"]["fact"].endswith("UTC, within 8 days.")
    stop = _criterion(programme, owner, "stop_condition")
    assert (stop["status"], stop["evidence"]["fact"]) == (
        "met",
        "1 approved stop condition(s) with a rule Keel evaluates.",
    )


def test_a_review_nine_days_old_is_not_met_after_sign_off_on_the_page_and_in_the_api(
    client, programme
):
    users = make_ready(programme)
    approve_all(programme, users)
    assert move_to_production(programme, users["programme_owner"]).status_code == 200
    owner = users["programme_owner"]

    with time_machine.travel(timezone.now() + dt.timedelta(days=8, hours=1), tick=False):
        row = _criterion(programme, owner, "weekly_review")
        readiness = (
            api_client_for(owner).get(f"/api/v1/programmes/{programme.slug}/readiness/").json()
        )
        assert log_in(client, username=owner.username, password=PASSWORD)
        page = client.get(f"/programmes/{programme.slug}/readiness/").content.decode()

    assert (row["status_label"], row["satisfied"]) == ("Not met", False)
    assert row["evidence"]["fact"].endswith("UTC: none in the last 8 days.")
    assert readiness["passed"] is False
    assert "A weekly review held in the last 8 days" in readiness["warning"]
    assert row["evidence"]["fact"] in page


def test_only_an_approved_version_with_a_rule_counts(programme):
    users = make_ready(programme)
    owner = users["programme_owner"]
    StopConditionVersion.objects.filter(condition__programme=programme).update(
        approved_at=None, approved_by=None
    )
    ruled_stop_condition(programme, approved=True, rule_kind="")
    ruled_stop_condition(programme, approved=False)
    row = _criterion(programme, owner, "stop_condition")
    assert (row["status_label"], row["evidence"]["fact"]) == (
        "Not met",
        "No approved stop condition with a rule Keel evaluates.",
    )
    readiness = api_client_for(owner).get(f"/api/v1/programmes/{programme.slug}/readiness/").json()
    assert "At least one approved stop condition with a rule" in " ".join(readiness["refusals"])


def test_the_facts_of_many_programmes_take_the_same_queries(programme):
    make_ready(programme)
    now = timezone.now()
    with CaptureQueriesContext(connection) as few:
        programme_facts([programme], now)
    others: list[Programme] = [ProgrammeFactory() for _ in range(5)]
    for other in others:
        hold_review(other, now - dt.timedelta(days=2))
        ruled_stop_condition(other)
        ruled_stop_condition(other)
    with CaptureQueriesContext(connection) as many:
        facts = programme_facts([programme, *others], now)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert {facts[o.pk].ruled_stop_conditions for o in others} == {2}


def test_existing_criteria_of_those_titles_name_their_check_after_the_migration(programme):
    """Criteria started before the checks existed (ticked by hand) name the check after
    migration 0004, and Keel's check decides from then on."""
    migration = importlib.import_module(
        "governance.migrations.0004_readiness_review_and_stop_condition_checks"
    )
    ticked = Criterion.objects.create(
        programme=programme,
        pillar="operating_model",
        title="A weekly review held in the last 8 days",
        status="met",
    )
    own = Criterion.objects.create(programme=programme, pillar="governance", title="Kill switch")
    migration.name_the_checks(apps, None)
    ticked.refresh_from_db()
    own.refresh_from_db()
    assert (ticked.evidence_check, ticked.status) == ("weekly_review", "in_progress")
    assert own.evidence_check == ""
