"""The dashboard at /: every programme a user may see, worst first, with the reason visible."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from programmes.models import Programme, Stage
from programmes.rules import access_for
from scorecards.services import update_metric
from tests.factories import MetricFactory, ProgrammeFactory, UserFactory, leadership_user, measure

from .conftest import client_of

pytestmark = pytest.mark.django_db


def slugs_on(response: Any) -> list[str]:
    return re.findall(r'class="programme-row[^"]*" data-slug="([^"]+)"', response.content.decode())


def row_html(response: Any, slug: str) -> str:
    html = response.content.decode()
    start = html.index(f'data-slug="{slug}"')
    return html[start : html.index("</tr>", start)]


def test_leader_sees_every_demo_programme_with_every_column(demo: list[Programme]):
    response = client_of("leader").get("/")
    assert response.status_code == 200
    assert sorted(slugs_on(response)) == sorted(p.slug for p in demo)
    html = response.content.decode()
    for column in (
        "Why here",
        "Stage",
        "Headline",
        "RAG",
        "Stop conditions",
        "Incidents",
        "On call",
        "Cost",
        "Owners",
    ):
        assert f">{column}</a>" in html
    for label in ("Tripped", "Red", "Amber", "Green", "Not reported", "Pilots"):
        assert f"</strong> {label}</a>" in html
    assert "By business unit" in html
    assert '<svg class="sparkline"' in html


def test_a_tripped_stop_condition_comes_first_and_says_why(demo: list[Programme]):
    response = client_of("leader").get("/")
    first, second = slugs_on(response)[:2]
    assert first == "claims-triage-assistant"
    row = row_html(response, first)
    assert "1 stop condition tripped" in row
    assert "tripped: Two SEV2-or-worse incidents" in row
    # Next comes the open SEV2, which outranks a red headline.
    assert second == "customer-support-copilot"
    assert "open SEV1/SEV2 incident" in row_html(response, second)


def test_a_stale_headline_shows_not_reported_never_green(demo: list[Programme]):
    response = client_of("leader").get("/")
    row = row_html(response, "contract-clause-extraction")
    assert "Not reported" in row
    assert "rag-green" not in row
    assert "headline not reported" in row


def test_a_programme_with_no_headline_is_not_reported():
    programme = ProgrammeFactory(name="Silent", stage=Stage.PRODUCTION)
    client = Client()
    client.force_login(leadership_user(username="lena"))
    row = row_html(client.get("/"), programme.slug)
    assert "Not reported" in row
    assert "no headline metric" in row


def test_a_pilot_is_marked(demo: list[Programme]):
    response = client_of("leader").get("/?bucket=pilots")
    slugs = slugs_on(response)
    assert slugs
    assert all(Programme.objects.get(slug=slug).stage == Stage.PILOT for slug in slugs)
    assert 'class="stage stage-pilot"' in row_html(response, slugs[0])


def test_viewer_sees_only_their_programmes(demo: list[Programme]):
    viewer = client_of("viewer")
    mine = set(
        Programme.objects.filter(memberships__user__username="viewer")
        .exclude(stage=Stage.RETIRED)
        .values_list("slug", flat=True)
    )
    assert mine
    assert len(mine) < len(demo)
    assert set(slugs_on(viewer.get("/"))) == mine
    csv_names = {
        line.split(",")[0]
        for line in viewer.get("/portfolio/export.csv").content.decode().splitlines()[1:]
    }
    assert csv_names == {p.name for p in demo if p.slug in mine}


def test_someone_with_no_programme_sees_an_empty_dashboard(db: Any):
    ProgrammeFactory(name="Hidden")
    client = Client()
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/")
    assert response.status_code == 200
    assert slugs_on(response) == []
    assert "No programme matches this view" in response.content.decode()


def test_signed_out_visitors_are_sent_to_log_in(db: Any):
    assert Client().get("/").status_code == 302


def test_filters_sort_and_search_come_from_the_url(demo: list[Programme]):
    leader = client_of("leader")
    assert slugs_on(leader.get("/?q=CLAIMS")) == ["claims-triage-assistant"]
    assert slugs_on(leader.get("/?stage=paused")) == ["fraud-alert-summariser"]
    assert slugs_on(leader.get("/?business_unit=Legal")) == ["contract-clause-extraction"]
    by_name = slugs_on(leader.get("/?sort=name"))
    assert by_name == sorted(by_name)
    assert slugs_on(leader.get("/?sort=name&desc=1")) == list(reversed(by_name))
    attention = slugs_on(leader.get("/?attention=on"))
    assert "fraud-alert-summariser" not in attention
    assert attention
    assert slugs_on(leader.get("/?bucket=not_reported")) == ["contract-clause-extraction"]


def test_htmx_gets_only_the_results_in_place(demo: list[Programme]):
    response = client_of("leader").get("/?q=claims", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard"')
    assert "<html" not in html
    assert slugs_on(response) == ["claims-triage-assistant"]


def test_a_bad_filter_is_reported_on_the_form_not_a_500(demo: list[Programme]):
    response = client_of("leader").get("/?person=abc&stage=nowhere&sort=__class__")
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert len(slugs_on(response)) == len(demo)


def test_csv_of_a_filtered_view_holds_exactly_the_rows_on_screen(demo: list[Programme]):
    leader = client_of("leader")
    query = "attention=on&sort=name"
    on_screen = slugs_on(leader.get(f"/?{query}"))
    response = leader.get(f"/portfolio/export.csv?{query}")
    assert response["Content-Type"].startswith("text/csv")
    names = [line.split(",")[0] for line in response.content.decode().splitlines()[1:]]
    assert names == [Programme.objects.get(slug=slug).name for slug in on_screen]


def test_a_target_moved_after_agreement_stays_visible_as_a_slip(db: Any):

    leader = leadership_user(username="lena")
    metric = MetricFactory(name="Accuracy", agreed_on=dt.date.today() - dt.timedelta(days=30))
    measure(metric, 80)
    update_metric(
        actor=leader,
        metric=metric,
        access=access_for(role="owner", is_staff=False, is_leadership=True),
        reason="the board moved it",
        target_value=100,
    )
    client = Client()
    client.force_login(leader)
    row = row_html(client.get("/"), metric.programme.slug)
    assert "Target moved since agreed: was 90" in row
    # 80 from 70 is half way to 90, a third of the way to 100.
    assert "(50.0% of that)" in row
    assert "33.3% of the way" in row


def test_the_business_unit_roll_up_counts_each_status_and_each_cell_filters(
    demo: list[Programme],
):
    html = client_of("leader").get("/").content.decode()
    assert "?business_unit=Legal&amp;bucket=not_reported" in html


def test_the_board_pack_and_changes_show_only_what_a_viewer_may_see(demo: list[Programme]):
    viewer = client_of("viewer")
    mine = set(
        Programme.objects.filter(memberships__user__username="viewer")
        .exclude(stage=Stage.RETIRED)
        .values_list("slug", flat=True)
    )
    pack = viewer.get("/portfolio/board-pack/").content.decode()
    assert set(re.findall(r'class="pack-block card" data-slug="([^"]+)"', pack)) == mine
    markdown = viewer.get("/portfolio/board-pack.md").content.decode()
    for programme in demo:
        assert (f"## {programme.name}\n" in markdown) == (programme.slug in mine)
    changes = viewer.get("/portfolio/changes/?since=2000-01-01").content.decode()
    for programme in demo:
        if programme.slug not in mine:
            assert programme.name not in changes


def test_what_changed_refuses_a_date_out_of_bounds_on_the_form(demo: list[Programme]):
    response = client_of("leader").get("/portfolio/changes/?since=1066-10-14")
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert 'value="1066-10-14"' in response.content.decode()
