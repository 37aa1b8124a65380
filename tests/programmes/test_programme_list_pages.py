"""The programme list reads its count with its page: the same pages, counts and links as any
other list of the API, in four queries for a signed-in person whatever the size of the page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from programmes.models import Membership, Role
from programmes.programme_rows import PageOfRows, page_rows
from programmes.selectors import visible_programmes
from tests.conftest import api_client_for, log_in
from tests.factories import (
    PASSWORD,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
    leadership_user,
    member,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> APIClient:
    client = APIClient()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def seven():
    return [ProgrammeFactory(name=f"Programme {index}") for index in range(7)]


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_the_pages_of_the_list_carry_the_count_and_their_links(seven):
    client = signed_in(leadership_user(username="lena"))

    first = client.get("/api/v1/programmes/?page_size=3")
    second = client.get(first.json()["next"])
    last = client.get(second.json()["next"])

    assert [page.json()["count"] for page in (first, second, last)] == [7, 7, 7]
    assert names(first) == ["Programme 0", "Programme 1", "Programme 2"]
    assert names(second) == ["Programme 3", "Programme 4", "Programme 5"]
    assert names(last) == ["Programme 6"]
    assert first.json()["previous"] is None
    assert second.json()["previous"] == "http://testserver/api/v1/programmes/?page_size=3"
    assert second.json()["next"] == "http://testserver/api/v1/programmes/?page=3&page_size=3"
    assert last.json()["next"] is None
    assert client.get("/api/v1/programmes/?page=last&page_size=3").json() == last.json()


@pytest.mark.parametrize(
    "page", ["4", "0", "-1", "two", "1.5", "2103993486473222447693824", str(2**63 // 3)]
)
def test_a_page_past_the_end_or_not_a_page_is_404(seven, page):
    client = signed_in(leadership_user(username="lena"))

    response = client.get(f"/api/v1/programmes/?page={page}&page_size=3")

    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid page."


def test_an_empty_list_is_one_empty_page():
    client = signed_in(UserFactory(username="nobody"))

    response = client.get("/api/v1/programmes/")

    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert client.get("/api/v1/programmes/?page=2").status_code == 404


def test_a_member_s_count_and_pages_are_theirs_alone(seven):
    viewer = member(seven[1], Role.VIEWER, username="vera")
    for programme in seven[3:6]:
        Membership.objects.create(programme=programme, user=viewer, role=Role.EDITOR)
    client = signed_in(viewer)

    first = client.get("/api/v1/programmes/?page_size=3")
    second = client.get(first.json()["next"])

    assert first.json()["count"] == second.json()["count"] == 4
    assert names(first) == ["Programme 1", "Programme 3", "Programme 4"]
    assert names(second) == ["Programme 5"]
    assert [row["your_role"] for row in first.json()["results"]] == ["viewer", "editor", "editor"]


@pytest.fixture
def portfolio():
    people = PersonFactory.create_batch(12)
    return [
        ProgrammeFactory(
            executive_sponsor=people[index % 12],
            programme_owner=people[(index + 1) % 12],
            oncall_lead=people[(index + 5) % 12],
        )
        for index in range(120)
    ]


@pytest.mark.parametrize("query", ["", "?page=2", "?page_size=1000"])
def test_a_signed_in_leader_s_page_takes_four_queries(
    portfolio, query, django_assert_max_num_queries
):
    """The session, the user (with their person and leadership), the page with its count, and
    the named owners."""
    client = signed_in(leadership_user(username="lena"))

    with django_assert_max_num_queries(4):
        response = client.get(f"/api/v1/programmes/{query}")

    assert response.json()["count"] == 120
    assert len(response.json()["results"]) == {"": 50, "?page=2": 50, "?page_size=1000": 120}[query]


def test_a_signed_in_member_s_page_takes_four_queries(portfolio, django_assert_max_num_queries):
    viewer = member(portfolio[0], Role.VIEWER, username="vera")
    for programme in portfolio[1:80]:
        Membership.objects.create(programme=programme, user=viewer, role=Role.EDITOR)
    client = signed_in(viewer)

    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/programmes/?page_size=1000")

    assert response.json()["count"] == 80
    assert len(response.json()["results"]) == 80


def test_the_page_reads_the_caller_s_role_without_joining_users_or_programmes_again(portfolio):
    client = signed_in(leadership_user(username="lena"))

    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/programmes/")

    page = next(q["sql"] for q in captured.captured_queries if "member_role" in q["sql"])
    assert page.count('"auth_user"') == 0
    assert page.count('"programmes_programme"') > 0
    assert " U1" not in page
    assert not any(q["sql"].startswith("SELECT COUNT(*)") for q in captured.captured_queries)


def test_a_token_s_list_carries_its_count_too(portfolio):
    client = api_client_for(leadership_user(username="lena"))

    response = client.get("/api/v1/programmes/?page=3")

    assert response.json()["count"] == 120
    assert len(response.json()["results"]) == 20
    assert response.json()["next"] is None


def test_callers_of_one_kind_each_get_their_own_programmes_and_roles(seven):
    """The page's SQL is kept per kind of caller; each caller's id goes into it afresh."""
    olivia = member(seven[0], Role.OWNER, username="olivia")
    vera = member(seven[1], Role.VIEWER, username="vera")
    lena = leadership_user(username="lena")
    Membership.objects.create(programme=seven[2], user=lena, role=Role.EDITOR)
    stella = UserFactory(username="stella", is_staff=True)

    for user, expected in (
        (olivia, [("Programme 0", "owner")]),
        (vera, [("Programme 1", "viewer")]),
        (olivia, [("Programme 0", "owner")]),
    ):
        rows = signed_in(user).get("/api/v1/programmes/").json()["results"]
        assert [(row["name"], row["your_role"]) for row in rows] == expected
    for user in (lena, stella):
        rows = signed_in(user).get("/api/v1/programmes/").json()["results"]
        roles = {row["name"]: row["your_role"] for row in rows}
        assert len(roles) == 7
        assert roles["Programme 2"] == ("editor" if user == lena else None)
        assert {role for name, role in roles.items() if name != "Programme 2"} == {None}


def test_the_page_holds_what_visible_programmes_gives_for_every_kind_of_caller(seven):
    olivia = member(seven[0], Role.OWNER, username="olivia")
    Membership.objects.create(programme=seven[4], user=olivia, role=Role.VIEWER)
    lena = leadership_user(username="lena")
    Membership.objects.create(programme=seven[2], user=lena, role=Role.EDITOR)
    callers = [
        olivia,
        lena,
        UserFactory(username="stella", is_staff=True),
        UserFactory(username="nobody"),
    ]
    for user in callers:
        expected = list(page_rows(visible_programmes(user)))
        for start, stop in ((0, 3), (3, 6), (0, 1000)):
            page = PageOfRows(user)[start:stop]
            assert [row[:-1] for row in page] == expected[start:stop], (user, start)
            assert {row[-1] for row in page} <= {len(expected)}
        assert PageOfRows(user).count() == len(expected)
    assert PageOfRows(AnonymousUser())[0:50] == []
