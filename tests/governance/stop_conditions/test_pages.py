"""The "Stop conditions" tab and a condition's page: forms with and without htmx, the dry run,
approval and decisions, and a constant number of queries."""

import pytest
from django.test import Client

from governance.models import StopCondition, StopConditionDecision
from governance.services import stop_conditions as services
from programmes.rules import access_for
from tests.conftest import log_in
from tests.factories import PASSWORD
from tests.governance.stop_conditions.helpers import approve, runs, token_client, write_condition

pytestmark = pytest.mark.django_db
OWNER = access_for(role="owner", is_staff=False, is_leadership=False)


def logged_in(user) -> Client:
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


def new_condition(**rule):
    return {
        "text": "Accuracy below 65 % three times in a row: pause.",
        "consequence": "pause",
        "rule_kind": "metric_streak",
        "rule_threshold": "65",
        "rule_count": "3",
        **rule,
    }


def test_the_tab_lists_each_condition_with_its_state_and_distance(
    governed, owner, sponsor, django_capture_on_commit_callbacks
):
    condition_id = write_condition(owner, governed).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        approve(sponsor, condition_id)
    page = logged_in(owner).get(f"/programmes/{governed.slug}/stop-conditions/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Routing accuracy below 65 % for three runs in a row: pause." in text
    assert "Routing accuracy below 65 for 3 measurements in a row" in text
    assert "Not enough data" in text
    assert "0 of 3 consecutive measurements below 65 %" in text
    assert 'aria-current="page"' in text
    assert "Stop conditions" in text


def test_writing_a_condition_without_javascript_goes_to_its_page(governed, owner):
    response = logged_in(owner).post(
        f"/programmes/{governed.slug}/stop-conditions/", new_condition()
    )
    condition = StopCondition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == condition.get_absolute_url()


def test_a_refused_rule_rerenders_the_form_with_the_values_kept(governed, owner):
    response = logged_in(owner).post(
        f"/programmes/{governed.slug}/stop-conditions/", new_condition(rule_count="0")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Measurements in a row (N) must be at least 1." in text
    assert "Accuracy below 65 % three times in a row: pause." in text
    assert "<html" in text
    assert not StopCondition.objects.exists()


def test_with_htmx_a_refusal_answers_with_the_form_alone(governed, owner):
    response = logged_in(owner).post(
        f"/programmes/{governed.slug}/stop-conditions/",
        new_condition(rule_threshold="75"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "<html" not in text
    assert 'id="condition-form"' in text
    assert "wrong side of the baseline" in text


def test_the_dry_run_shows_what_the_rule_would_have_said_and_saves_nothing(
    governed, owner, headline
):
    token_client(owner, governed).post(
        f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
    )
    response = logged_in(owner).post(
        f"/programmes/{governed.slug}/stop-conditions/",
        {**new_condition(), "preview": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Trips now: saved and approved, it would trip at once." in response.content.decode()
    assert not StopCondition.objects.exists()


def test_approving_and_deciding_on_the_condition_page(
    governed, owner, sponsor, sponsor_person, headline, django_capture_on_commit_callbacks
):
    condition_id = write_condition(owner, governed).json()["id"]
    page = f"/programmes/{governed.slug}/stop-conditions/{condition_id}/"
    approved = logged_in(sponsor).post(f"{page}approve/", HTTP_HX_REQUEST="true")
    assert approved["HX-Redirect"] == page
    with django_capture_on_commit_callbacks(execute=True):
        token_client(owner, governed).post(
            f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
        )
    shown = logged_in(owner).get(page).content.decode()
    assert "Record the decision" in shown
    assert "Routing accuracy = 60" in shown

    refused = logged_in(owner).post(
        f"{page}decide/",
        {"kind": "continue", "reason": "Wait.", "decided_by": sponsor_person.pk},
    )
    assert refused.status_code == 400
    assert "“Continue” needs a revisit date." in refused.content.decode()

    decided = logged_in(owner).post(
        f"{page}decide/",
        {"kind": "escalate", "reason": "Leadership must know.", "decided_by": sponsor_person.pk},
    )
    assert decided.status_code == 302
    assert StopConditionDecision.objects.get().kind == "escalate"


def test_a_new_version_waits_while_the_approved_one_stays_in_force(governed, owner, sponsor):
    condition_id = write_condition(owner, governed).json()["id"]
    approve(sponsor, condition_id)
    page = f"/programmes/{governed.slug}/stop-conditions/{condition_id}/"
    response = logged_in(owner).post(page, new_condition(text="Below 60 now.", rule_threshold="60"))
    assert response.status_code == 302
    shown = logged_in(owner).get(page).content.decode()
    assert "Version 2 waits for approval; version 1 stays in force until then." in shown
    assert "Below 60 now." in shown


@pytest.mark.parametrize("conditions", [1, 20])
def test_the_tab_runs_a_constant_number_of_queries(
    governed, owner, sponsor, conditions, django_assert_max_num_queries
):
    for _ in range(conditions):
        services.create_condition(
            actor=owner,
            programme=governed,
            access=OWNER,
            text="Not measured for a fortnight.",
            consequence="escalate",
            rule_kind="not_measured",
            rule={"days": 14},
        )
    client = logged_in(owner)
    with django_assert_max_num_queries(22):
        assert client.get(f"/programmes/{governed.slug}/stop-conditions/").status_code == 200
    condition = StopCondition.objects.first()
    with django_assert_max_num_queries(24):
        assert client.get(condition.get_absolute_url()).status_code == 200


def test_the_programme_overview_shows_each_condition_and_its_distance(
    governed, owner, sponsor, django_capture_on_commit_callbacks
):
    condition_id = write_condition(owner, governed).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        approve(sponsor, condition_id)
    text = logged_in(owner).get(f"/programmes/{governed.slug}/").content.decode()
    assert 'id="stop-conditions"' in text
    assert "0 of 3 consecutive measurements below 65 %" in text


def test_saving_a_rule_that_trips_now_says_so(governed, owner, headline):
    token_client(owner, governed).post(
        f"/api/v1/metrics/{headline.pk}/measurements/", runs(60, 61, 62), format="json"
    )
    client = logged_in(owner)
    saved = client.post(f"/programmes/{governed.slug}/stop-conditions/", new_condition())
    shown = client.get(saved["Location"]).content.decode()
    assert "Its rule trips now: once approved, it trips at once" in shown
