"""The dashboard and its API page run the same number of queries at 10 and at 1,000 programmes."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import api_client_for
from tests.factories import leadership_user

from .generated import generate

pytestmark = pytest.mark.django_db


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/", "/?changes=1&sort=progress", "/portfolio/export.csv", "/portfolio/board-pack/"]
)
def test_the_dashboard_pages_run_the_same_queries_at_10_and_1000_programmes(url: str):
    leader = leadership_user(username="lena")
    client = Client()
    client.force_login(leader)
    generate(10, prefix="small")
    client.get(url)  # Warm the session and the user's groups.
    at_ten = queries(client, url)
    generate(990, prefix="large")
    assert queries(client, url) == at_ten
    if url == "/":
        # The governance columns are filled, so their reads are part of the count.
        page = client.get(url).content.decode()
        for shown in ("criteria met", "sign-off", "missed in a row", "overdue action"):
            assert shown in page


@pytest.mark.parametrize("url", ["/api/v1/portfolio/", "/api/v1/portfolio/changes/"])
def test_the_portfolio_api_runs_the_same_queries_at_10_and_1000_programmes(url: str):
    client = api_client_for(leadership_user(username="lena"))
    generate(10, prefix="small")
    client.get(url)
    at_ten = queries(client, url)
    generate(990, prefix="large")
    assert queries(client, url) == at_ten
    assert client.get(url + "?page_size=5").status_code == 200
