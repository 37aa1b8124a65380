"""The scheduled evaluation works in bulk and is idempotent; who hears about trips,
escalations and a policy due for revisit."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from governance.jobs import evaluate_stop_conditions, remind_stop_policy_revisits
from governance.models import StopCondition, StopConditionTrip, StopPolicy
from governance.notification_kinds import (
    STOP_CONDITION_ESCALATED,
    STOP_CONDITION_TRIPPED,
    STOP_POLICY_REVISIT,
)
from governance.services import stop_conditions as services
from programmes.models import Notification, Person
from programmes.rules import access_for
from tests.conftest import api_client_for
from tests.factories import MetricFactory, PersonFactory, ProgrammeFactory, leadership_user, measure
from tests.governance.stop_conditions.helpers import approve, runs, token_client, write_condition

pytestmark = pytest.mark.django_db
OWNER = access_for(role="owner", is_staff=False, is_leadership=False)


def in_app(kind):
    return sorted(
        Notification.objects.filter(kind=kind, channel="in_app").values_list(
            "recipient__name", flat=True
        )
    )


def _portfolio(size, writer):
    """``size`` programmes, each with an approved streak condition on a tripping headline."""
    approver = Person.objects.create(name="Approver", email="approver@example.com")
    for _ in range(size):
        programme = ProgrammeFactory(
            executive_sponsor=PersonFactory(), programme_owner=PersonFactory()
        )
        metric = MetricFactory(programme=programme)
        measure(metric, 60, 61, 62)
        condition = services.create_condition(
            actor=writer,
            programme=programme,
            access=OWNER,
            text="Below 65 three times.",
            consequence="pause",
            rule_kind="metric_streak",
            rule={"threshold": "65", "count": 3},
        )
        condition.policy.approvers.set([approver])
        condition.versions.update(approved_at=timezone.now(), approved_by=approver)
    StopCondition.objects.update(next_check_at=timezone.now())


@pytest.mark.parametrize("size", [3, 30])
def test_the_scheduled_evaluation_runs_in_bulk_and_twice_writes_nothing_twice(
    owner, size, django_assert_max_num_queries
):
    _portfolio(size, owner)
    now = timezone.now() + dt.timedelta(minutes=1)
    # Fixed work, plus per trip (rare) its audit event and notify() for each of three people.
    with django_assert_max_num_queries(12 + size * 30):
        assert evaluate_stop_conditions(now) == size
    with django_assert_max_num_queries(3):
        assert evaluate_stop_conditions(now + dt.timedelta(minutes=1)) == 0
    assert StopConditionTrip.objects.count() == size


@pytest.mark.parametrize("size", [3, 30])
def test_evaluating_ok_conditions_takes_the_same_queries_at_any_size(
    owner, size, django_assert_num_queries
):
    _portfolio(size, owner)
    StopConditionTrip.objects.all().delete()
    StopCondition.objects.update(state="decided", continue_until=None)
    with django_assert_num_queries(8):
        evaluate_stop_conditions(timezone.now() + dt.timedelta(minutes=1))


def test_the_approvers_hear_of_a_trip_too(
    governed, owner, sponsor, headline, django_capture_on_commit_callbacks
):
    condition_id = write_condition(owner, governed).json()["id"]
    StopPolicy.objects.get().approvers.add(PersonFactory(name="Rita Risk"))
    approve(sponsor, condition_id)
    with django_capture_on_commit_callbacks(execute=True):
        token_client(owner, governed).post(
            f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
        )
    assert in_app(STOP_CONDITION_TRIPPED) == ["Olivia Owner", "Rita Risk", "Sam Sponsor"]


def test_escalating_tells_leadership(
    governed, owner, sponsor, sponsor_person, headline, django_capture_on_commit_callbacks
):
    leader = leadership_user(username="lena")
    PersonFactory(name="Lena Leader", user=leader)
    condition_id = write_condition(owner, governed, consequence="escalate").json()["id"]
    approve(sponsor, condition_id)
    with django_capture_on_commit_callbacks(execute=True):
        token_client(owner, governed).post(
            f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
        )
    response = api_client_for(owner).post(
        f"/api/v1/stop-conditions/{condition_id}/decisions/",
        {"kind": "escalate", "reason": "Beyond our call.", "decided_by": sponsor_person.pk},
        format="json",
    )
    assert response.status_code == 201
    assert in_app(STOP_CONDITION_ESCALATED) == ["Lena Leader"]
    governed.refresh_from_db()
    assert governed.stage == "pilot"


def test_a_policy_due_for_revisit_reminds_its_author_and_approvers_a_month_before_once(
    governed, owner, sponsor
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        condition_id = write_condition(owner, governed).json()["id"]
        approve(sponsor, condition_id)
    assert StopPolicy.objects.get().revisit_on == dt.date(2027, 3, 2)

    early = dt.datetime(2027, 1, 30, 10, 0, tzinfo=dt.UTC)
    assert remind_stop_policy_revisits(early) == 0
    due = dt.datetime(2027, 2, 1, 10, 0, tzinfo=dt.UTC)
    assert remind_stop_policy_revisits(due) > 0
    assert remind_stop_policy_revisits(due + dt.timedelta(hours=1)) == 0
    assert in_app(STOP_POLICY_REVISIT) == ["Olivia Owner", "Sam Sponsor"]
