"""The stop-condition rule kind "N reviews missed in a row": its validation, its distance, too
little data, and a condition that trips when the missed-review job marks the Nth miss."""

import datetime as dt
from typing import Any

import pytest
import time_machine

from governance import review_jobs as jobs
from governance.models import Review, ReviewStatus, StopCondition
from governance.review_stop_rule import KEY, evaluate_missed
from governance.stop_condition_rules import Judgement, RuleRefused, clean_rule
from tests.conftest import api_client_for
from tests.governance.stop_conditions.helpers import approve, write_condition
from tests.governance.stop_conditions.rule_data import NOW, TODAY, programme


def _data(*statuses: str) -> Any:
    """Past reviews newest first, a week apart."""
    past = [(n, status, NOW - dt.timedelta(weeks=n + 1)) for n, status in enumerate(statuses)]
    base = programme()
    return type(base)(**{**base.__dict__, "extra": {KEY: past}})


def test_the_rule_takes_a_whole_number_of_reviews_from_1_to_52() -> None:
    context = type("C", (), {"metrics": {}, "cost_envelope": None, "today": TODAY})()
    assert clean_rule(KEY, {"reviews": "2"}, context) == {"reviews": 2}
    for bad, message in ((0, "at least 1"), (53, "at most 52"), ("two", "whole number")):
        with pytest.raises(RuleRefused) as refused:
            clean_rule(KEY, {"reviews": bad}, context)
        assert message in refused.value.errors["reviews"]
    with pytest.raises(RuleRefused) as missing:
        clean_rule(KEY, {}, context)
    assert "reviews" in missing.value.errors


def test_two_missed_in_a_row_trip_and_a_cancelled_one_neither_counts_nor_breaks_the_run() -> None:
    verdict = evaluate_missed({"reviews": 2}, _data("missed", "cancelled", "missed", "held"), NOW)
    assert verdict.judgement == Judgement.TRIPPING
    assert verdict.distance == "2 of 2 reviews missed in a row"
    assert [fact["status"] for fact in verdict.facts] == ["missed", "missed"]


def test_a_held_review_ends_the_run_and_the_distance_says_how_close() -> None:
    verdict = evaluate_missed({"reviews": 3}, _data("missed", "missed", "held", "missed"), NOW)
    assert verdict.judgement == Judgement.OK
    assert verdict.distance == "2 of 3 reviews missed in a row"
    assert str(verdict.fraction) == "0.6667"


def test_too_few_reviews_are_not_enough_data_unless_all_were_missed() -> None:
    early = evaluate_missed({"reviews": 3}, _data("missed"), NOW)
    assert early.judgement == Judgement.NOT_ENOUGH_DATA
    assert "only 1 review(s)" in early.distance
    assert evaluate_missed({"reviews": 3}, _data("held"), NOW).judgement == Judgement.OK


@pytest.mark.django_db
def test_the_missed_review_job_trips_the_condition(
    governed: Any, owner: Any, sponsor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    written = write_condition(
        owner,
        governed,
        rule_kind=KEY,
        rule={"reviews": 2},
        consequence="escalate",
        text="Two weekly reviews missed in a row: escalate to the sponsor.",
    )
    assert written.status_code == 201, written.content
    condition_id = written.json()["id"]
    assert approve(sponsor, condition_id).status_code == 201
    reviews = list(
        Review.objects.filter(programme=governed, status=ReviewStatus.SCHEDULED).order_by(
            "scheduled_for"
        )[:2]
    )
    for review in reviews:
        after = review.missed_after + dt.timedelta(minutes=1)
        with (
            time_machine.travel(after, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            jobs.mark_missed_reviews(after)
    condition = StopCondition.objects.get(pk=condition_id)
    assert condition.state == "tripped"
    assert condition.distance == "2 of 2 reviews missed in a row"
    shown = api_client_for(owner).get(f"/api/v1/stop-conditions/{condition_id}/").json()
    assert shown["state"] == "tripped"
