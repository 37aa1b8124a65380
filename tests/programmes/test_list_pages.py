"""Lists that grow with the portfolio show one page at a time, in a constant number of queries:
the programme list and the people directory."""

import pytest

from programmes.models import Person, Programme, Role
from tests.conftest import leadership_user, member
from tests.factories import ProgrammeFactory
from tests.programmes.test_pages import client_for

pytestmark = pytest.mark.django_db


def names_on(html: str, prefix: str) -> int:
    return html.count(prefix)


def test_the_programme_list_shows_a_hundred_programmes_a_page(django_assert_max_num_queries):
    leader = leadership_user(username="lena")
    Programme.objects.bulk_create(
        Programme(name=f"Portfolio item {n:03d}", slug=f"item-{n:03d}") for n in range(230)
    )
    client = client_for(leader)
    with django_assert_max_num_queries(8):
        first = client.get("/programmes/").content.decode()
    third = client.get("/programmes/?page=3").content.decode()
    assert names_on(first, ">Portfolio item ") == 100
    assert names_on(third, ">Portfolio item ") == 30
    assert "Page 1 of 3" in first
    assert 'page=2">Next</a>' in first


def test_the_stage_filter_stays_on_the_next_page():
    leader = leadership_user(username="lena")
    Programme.objects.bulk_create(
        Programme(name=f"Paused item {n:03d}", slug=f"paused-{n:03d}", stage="paused")
        for n in range(120)
    )
    html = client_for(leader).get("/programmes/?stage=paused").content.decode()
    assert "stage=paused&amp;page=2" in html


def test_a_member_sees_only_their_programmes_on_the_list(programme):
    outsider = member(ProgrammeFactory(name="Elsewhere"), Role.OWNER, username="otto")
    html = client_for(outsider).get("/programmes/").content.decode()
    assert "Elsewhere" in html
    assert programme.name not in html


def test_the_people_directory_shows_a_hundred_people_a_page(owner, django_assert_max_num_queries):
    Person.objects.bulk_create(
        Person(name=f"Directory person {n:03d}", email=f"d{n}@example.com") for n in range(150)
    )
    client = client_for(owner)
    with django_assert_max_num_queries(8):
        first = client.get("/people/").content.decode()
    second = client.get("/people/?page=2").content.decode()
    assert names_on(first, "Directory person ") == 100
    assert names_on(second, "Directory person ") == 50


def test_the_pager_links_carry_no_stray_ampersand_and_one_page_parameter():
    leader = leadership_user(username="lena")
    Programme.objects.bulk_create(
        Programme(name=f"Paused item {n:03d}", slug=f"paused-{n:03d}", stage="paused")
        for n in range(320)
    )
    client = client_for(leader)
    first = client.get("/programmes/").content.decode()
    assert 'href="?page=2">Next</a>' in first
    assert "?&amp;" not in first
    second = client.get("/programmes/?stage=paused&page=2").content.decode()
    assert 'href="?stage=paused&amp;page=1">Previous</a>' in second
    assert 'href="?stage=paused&amp;page=3">Next</a>' in second
    assert "page=2&amp;page" not in second


def test_the_people_directory_pager_links_to_plain_pages(owner):
    Person.objects.bulk_create(
        Person(name=f"Directory person {n:03d}", email=f"d{n}@example.com") for n in range(250)
    )
    second = client_for(owner).get("/people/?page=2").content.decode()
    assert 'href="?page=1">Previous</a>' in second
    assert 'href="?page=3">Next</a>' in second
