"""GET /api/v1/portfolio/ and /api/v1/portfolio/changes/: the dashboard's rows and what
changed, scoped like the page."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from programmes.models import Programme, Stage
from tests.conftest import api_client_for
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def demo_client(username: str) -> APIClient:
    return api_client_for(get_user_model().objects.get(username=username))


def test_the_api_gives_the_dashboards_rows_worst_first(demo: list[Programme]):
    answer = demo_client("leader").get("/api/v1/portfolio/").json()
    assert answer["count"] == len(demo)
    first = answer["results"][0]
    assert first["slug"] == "claims-triage-assistant"
    assert first["reasons"][0]["key"] == "tripped"
    assert first["stop_conditions"]["tripped"]
    assert first["needs_attention"] is True
    stale = next(r for r in answer["results"] if r["slug"] == "contract-clause-extraction")
    assert stale["status"] == "not_reported"
    assert stale["headline"]["stale"] is True


def test_the_api_takes_the_pages_filters_and_sort(demo: list[Programme]):
    client = demo_client("leader")
    names = [r["name"] for r in client.get("/api/v1/portfolio/?sort=name").json()["results"]]
    assert names == sorted(names)
    paused = client.get("/api/v1/portfolio/?stage=paused").json()["results"]
    assert [r["slug"] for r in paused] == ["fraud-alert-summariser"]
    page = client.get("/api/v1/portfolio/?page_size=2").json()
    assert len(page["results"]) == 2
    assert page["next"]


def test_a_viewer_gets_only_their_programmes(demo: list[Programme]):
    mine = set(
        Programme.objects.filter(memberships__user__username="viewer")
        .exclude(stage=Stage.RETIRED)
        .values_list("slug", flat=True)
    )
    rows = demo_client("viewer").get("/api/v1/portfolio/?page_size=100").json()["results"]
    assert {r["slug"] for r in rows} == mine


def test_another_programmes_user_sees_none_of_it(db: Any):
    ProgrammeFactory(name="Hidden")
    client = api_client_for(UserFactory(username="otto"))
    assert client.get("/api/v1/portfolio/").json()["count"] == 0
    assert client.get("/api/v1/portfolio/changes/?since=2026-01-01T00:00:00Z").json()["count"] == 0


def test_signed_out_requests_are_refused(db: Any):
    assert APIClient().get("/api/v1/portfolio/").status_code in (401, 403)


@pytest.mark.parametrize(
    "query",
    ["sort=nonsense", "person=-4", "stage=moon", "q=" + "x" * 101, "bucket=purple"],
)
def test_bad_filters_are_field_errors(demo: list[Programme], query: str):
    response = demo_client("leader").get(f"/api/v1/portfolio/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_changes_since_list_the_demos_incidents(demo: list[Programme]):
    answer = (
        demo_client("leader").get("/api/v1/portfolio/changes/?since=2000-01-01T00:00:00Z").json()
    )
    texts = [c["text"] for row in answer["results"] for c in row["changes"]]
    assert any(text.endswith("opened") for text in texts)


def test_a_since_out_of_bounds_is_a_field_error(demo: list[Programme]):
    response = demo_client("leader").get("/api/v1/portfolio/changes/?since=1800-01-01T00:00:00Z")
    assert response.status_code == 400
    assert "since" in response.json()
