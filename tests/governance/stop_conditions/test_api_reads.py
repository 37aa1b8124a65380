"""The API's reads: conditions with state and distance in a constant number of queries,
versions kept, trips with their facts, the dry run that saves nothing, and the bulk selector
the dashboard and the weekly review read."""

import pytest

from governance.models import StopCondition
from governance.selectors.stop_conditions import condition_standings
from governance.services import stop_conditions as services
from programmes.rules import access_for
from tests.conftest import api_client_for
from tests.factories import MetricFactory, PersonFactory, ProgrammeFactory
from tests.governance.stop_conditions.helpers import approve, runs, token_client, write_condition

pytestmark = pytest.mark.django_db
OWNER = access_for(role="owner", is_staff=False, is_leadership=False)


def _conditions(programme, owner, count):
    for _ in range(count):
        services.create_condition(
            actor=owner,
            programme=programme,
            access=OWNER,
            text="Not measured for a fortnight: escalate.",
            consequence="escalate",
            rule_kind="not_measured",
            rule={"days": 14},
        )


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_runs_a_constant_number_of_queries(
    governed, owner, count, django_assert_max_num_queries
):
    _conditions(governed, owner, count)
    client = api_client_for(owner)
    with django_assert_max_num_queries(14):
        response = client.get(f"/api/v1/programmes/{governed.slug}/stop-conditions/")
    assert response.status_code == 200
    assert response.json()["count"] == count
    first = response.json()["results"][0]
    assert first["rule_description"] == "Routing accuracy not measured for 14 days"
    assert first["awaiting_approval"]["number"] == 1
    assert first["in_force"] is None


def test_every_version_is_kept_and_the_approved_one_stays_in_force(governed, owner, sponsor):
    condition_id = write_condition(owner, governed).json()["id"]
    approve(sponsor, condition_id)
    client = api_client_for(owner)
    revised = client.patch(
        f"/api/v1/stop-conditions/{condition_id}/",
        {"rule": {"threshold": "60", "count": 2}},
        format="json",
    )
    assert revised.status_code == 200
    assert revised.json()["in_force"]["rule"] == {"threshold": "65", "count": 3}
    assert revised.json()["awaiting_approval"]["rule"] == {"threshold": "60", "count": 2}
    versions = client.get(f"/api/v1/stop-conditions/{condition_id}/versions/").json()
    assert [v["number"] for v in versions["results"]] == [2, 1]
    approve(sponsor, condition_id)
    approvals = client.get(f"/api/v1/stop-conditions/{condition_id}/approvals/").json()
    assert [v["number"] for v in approvals["results"]] == [2, 1]
    shown = client.get(f"/api/v1/stop-conditions/{condition_id}/").json()
    assert shown["in_force"]["number"] == 2
    assert shown["awaiting_approval"] is None
    policy = client.get(f"/api/v1/programmes/{governed.slug}/stop-policy/").json()
    assert policy["author"]["name"] == "Olivia Owner"
    assert [p["name"] for p in policy["approvers"]] == ["Sam Sponsor"]
    assert policy["approved_on"] is not None
    assert policy["revisit_on"] is not None


def test_trips_keep_their_facts(
    governed, owner, sponsor, headline, django_capture_on_commit_callbacks
):
    condition_id = write_condition(owner, governed).json()["id"]
    approve(sponsor, condition_id)
    with django_capture_on_commit_callbacks(execute=True):
        token_client(owner, governed).post(
            f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
        )
    headline.measurements.filter(value=60).update(value=99)  # a later correction
    trips = api_client_for(owner).get(f"/api/v1/stop-conditions/{condition_id}/trips/").json()
    assert [fact["value"] for fact in trips["results"][0]["facts"]] == ["60", "61", "62"]


def test_the_dry_run_says_what_the_rule_would_have_said_and_saves_nothing(
    governed, owner, headline
):
    token_client(owner, governed).post(
        f"/api/v1/metrics/{headline.pk}/measurements/", runs(80, 80, 80), format="json"
    )
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{governed.slug}/stop-conditions/dry-run/",
        {"rule_kind": "metric_streak", "rule": {"threshold": "65", "count": 3}},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"] == "Never close in the last 90 days."
    assert body["would_have_tripped"] == 0
    assert body["now"]["distance"] == "0 of 3 consecutive measurements below 65 %"
    assert not StopCondition.objects.exists()


def test_the_dry_run_of_a_rule_that_trips_at_once_says_so(governed, owner, headline):
    token_client(owner, governed).post(
        f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
    )
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{governed.slug}/stop-conditions/dry-run/",
        {"rule_kind": "metric_streak", "rule": {"threshold": "65", "count": 3}},
        format="json",
    )
    assert response.json()["summary"] == "Trips now: saved and approved, it would trip at once."


def test_the_dry_run_refuses_a_bad_rule_with_a_field_message(governed, owner):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{governed.slug}/stop-conditions/dry-run/",
        {"rule_kind": "metric_streak", "rule": {"threshold": "65", "count": 0}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"rule.count": ["Measurements in a row (N) must be at least 1."]}


@pytest.mark.parametrize("programmes", [2, 25])
def test_the_bulk_standings_read_a_portfolio_in_three_queries(
    owner, programmes, django_assert_num_queries
):
    ids = []
    for _ in range(programmes):
        programme = ProgrammeFactory(
            executive_sponsor=PersonFactory(), programme_owner=PersonFactory()
        )
        MetricFactory(programme=programme)
        _conditions(programme, owner, 2)
        ids.append(programme.pk)
    with django_assert_num_queries(3):
        standings = condition_standings(ids)
    assert all(len(standings[pk]) == 2 for pk in ids)
    assert standings[ids[0]][0].awaiting_approval
