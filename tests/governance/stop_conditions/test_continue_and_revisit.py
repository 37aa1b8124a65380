"""Done 3: "continue" holds a tripped condition until its revisit date unless the facts get
worse; after the date it trips again if they still hold. Frozen time, DST included."""

import datetime as dt

import pytest
import time_machine

from governance.models import StopCondition, StopConditionTrip
from governance.notification_kinds import STOP_CONDITION_REVISIT
from programmes.models import Notification
from programmes.registry.jobs import run_due_jobs
from tests.conftest import api_client_for
from tests.governance.stop_conditions.helpers import approve, runs, token_client, write_condition

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _tick(moment):
    with time_machine.travel(moment, tick=False):
        return run_due_jobs(moment)


def _post(harness, metric, *values, at, prefix):
    with time_machine.travel(at, tick=False):
        response = harness.post(
            f"/api/v1/metrics/{metric.pk}/measurements/",
            runs(*values, end=at - dt.timedelta(minutes=5), prefix=prefix),
            format="json",
        )
    assert response.status_code == 201, response.content


@pytest.fixture
def continued(governed, owner, sponsor, sponsor_person, headline):
    """Tripped on 2 Nov 2026 by 60, 61, 62 and decided "continue" until 20 Nov."""
    start = dt.datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        condition_id = write_condition(owner, governed).json()["id"]
        approve(sponsor, condition_id)
        harness = token_client(owner, governed)
    _post(harness, headline, 60, 61, 62, at=start, prefix="first")
    _tick(start + dt.timedelta(minutes=1))
    assert StopCondition.objects.get().state == "tripped"
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        decided = api_client_for(owner).post(
            f"/api/v1/stop-conditions/{condition_id}/decisions/",
            {
                "kind": "continue",
                "reason": "A data fix lands next week.",
                "revisit_on": "2026-11-20",
                "decided_by": sponsor_person.pk,
            },
            format="json",
        )
    assert decided.status_code == 201, decided.content
    return harness


def test_continue_holds_until_the_revisit_date_and_trips_again_after_it(continued, headline):
    _tick(dt.datetime(2026, 11, 2, 11, 5, tzinfo=UTC))
    # Still below 65, but no worse than when decided (the worst was 5 below).
    _post(continued, headline, 63, at=dt.datetime(2026, 11, 10, 9, 0, tzinfo=UTC), prefix="mid")
    _tick(dt.datetime(2026, 11, 19, 23, 59, tzinfo=UTC))
    assert StopConditionTrip.objects.count() == 1
    assert StopCondition.objects.get().state == "decided"

    # London is on GMT in November: the revisit date starts at midnight UTC.
    results = _tick(dt.datetime(2026, 11, 20, 0, 0, tzinfo=UTC))

    assert results["evaluate_stop_conditions"] == 1
    assert StopConditionTrip.objects.count() == 2
    assert StopCondition.objects.get().state == "tripped"


def test_facts_getting_worse_trip_again_before_the_revisit_date(continued, headline):
    _post(continued, headline, 50, at=dt.datetime(2026, 11, 5, 9, 0, tzinfo=UTC), prefix="worse")
    _tick(dt.datetime(2026, 11, 5, 9, 1, tzinfo=UTC))

    assert StopConditionTrip.objects.count() == 2
    assert StopCondition.objects.get().state == "tripped"


def test_a_recovery_before_the_revisit_date_rearms_the_condition(continued, headline):
    _post(continued, headline, 80, at=dt.datetime(2026, 11, 5, 9, 0, tzinfo=UTC), prefix="good")
    _tick(dt.datetime(2026, 11, 5, 9, 1, tzinfo=UTC))
    assert StopCondition.objects.get().state == "ok"
    _tick(dt.datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    assert StopConditionTrip.objects.count() == 1


def test_the_decider_is_reminded_of_the_revisit_date_once(continued, sponsor_person):
    _tick(dt.datetime(2026, 11, 20, 8, 59, tzinfo=UTC))
    assert not Notification.objects.filter(kind=STOP_CONDITION_REVISIT).exists()
    _tick(dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    _tick(dt.datetime(2026, 11, 20, 9, 1, tzinfo=UTC))
    reminders = Notification.objects.filter(kind=STOP_CONDITION_REVISIT, channel="in_app")
    assert list(reminders.values_list("recipient", flat=True)) == [sponsor_person.pk]


def test_a_state_and_date_trips_when_the_local_day_ends_across_the_dst_change(
    governed, owner, sponsor, headline
):
    # London moves to BST on 28 March 2027, so that day ends at 23:00 UTC.
    with time_machine.travel(dt.datetime(2027, 3, 20, 12, 0, tzinfo=UTC), tick=False):
        condition_id = write_condition(
            owner,
            governed,
            rule_kind="state_and_date",
            rule={"by_date": "2027-03-28", "value": "80"},
            text="Routing accuracy at 80 % by 28 March, or we rescope.",
            consequence="rescope",
        ).json()["id"]
        approve(sponsor, condition_id)
        harness = token_client(owner, governed)
    _post(harness, headline, 71, at=dt.datetime(2027, 3, 20, 12, 0, tzinfo=UTC), prefix="march")
    _tick(dt.datetime(2027, 3, 20, 12, 1, tzinfo=UTC))
    condition = StopCondition.objects.get()
    assert condition.next_check_at == dt.datetime(2027, 3, 28, 23, 0, tzinfo=UTC)

    assert _tick(dt.datetime(2027, 3, 28, 22, 59, tzinfo=UTC))["evaluate_stop_conditions"] == 0
    assert _tick(dt.datetime(2027, 3, 28, 23, 0, tzinfo=UTC))["evaluate_stop_conditions"] == 1
    assert StopCondition.objects.get().state == "tripped"
