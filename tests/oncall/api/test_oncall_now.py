"""Who is on call now, across a thousand rotations, in a constant number of queries."""

import datetime as dt

import pytest
import time_machine

from oncall.models import (
    Override,
    Rotation,
    RotationVersion,
    TimeOff,
)
from tests.conftest import api_client_for
from tests.factories import PersonFactory, ProgrammeFactory
from tests.oncall.helpers import (
    UTC,
)

pytestmark = pytest.mark.django_db


def rotations_of(count, programmes, people, *, zone="Europe/London", kinds=("daily",)):
    """``count`` rotations spread over ``programmes``, each of ``people`` from one anchor, the
    shift kinds taken in turn from ``kinds``."""
    anchor = dt.datetime(2026, 1, 5, 9, tzinfo=UTC)
    rotations = Rotation.objects.bulk_create(
        Rotation(programme=programmes[n % len(programmes)], name=f"R{n}") for n in range(count)
    )
    RotationVersion.objects.bulk_create(
        RotationVersion(
            rotation=rotation,
            effective_from=anchor,
            anchor=anchor,
            timezone=zone,
            shift_kind=kinds[n % len(kinds)],
            handoff_time=dt.time(9),
            member_ids=[p.pk for p in people],
        )
        for n, rotation in enumerate(rotations)
    )
    return rotations


def test_oncall_now_for_a_thousand_rotations_runs_a_constant_number_of_queries(
    leader, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(6)
    rotations_of(1000, [ProgrammeFactory() for _ in range(10)], people, kinds=("daily", "weekly"))
    client = api_client_for(leader)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/oncall-now/?page_size=1000")
    answers = response.json()["results"]
    assert len(answers) == 1000
    assert all(answer["now"]["person"] for answer in answers)


def test_oncall_now_answers_a_page_at_a_time_and_never_more_than_a_thousand(leader):
    people = PersonFactory.create_batch(2)
    programme = ProgrammeFactory()
    anchor = dt.datetime(2026, 1, 5, 9, tzinfo=UTC)
    rotations = Rotation.objects.bulk_create(
        Rotation(programme=programme, name=f"R{n:02d}") for n in range(60)
    )
    RotationVersion.objects.bulk_create(
        RotationVersion(
            rotation=rotation,
            effective_from=anchor,
            anchor=anchor,
            timezone="Europe/London",
            shift_kind="weekly",
            handoff_time=dt.time(9),
            member_ids=[p.pk for p in people],
        )
        for rotation in rotations
    )
    client = api_client_for(leader)
    first = client.get("/api/v1/oncall-now/").json()
    assert (first["count"], len(first["results"])) == (60, 50)
    second = client.get(first["next"]).json()
    names = [a["rotation"]["name"] for a in first["results"] + second["results"]]
    assert names == [f"R{n:02d}" for n in range(60)]
    assert len(client.get("/api/v1/oncall-now/?page_size=5000").json()["results"]) == 60


def test_oncall_now_shows_nothing_of_another_programmes_rotations(outsider, programme):
    theirs = programme
    rotation = Rotation.objects.create(programme=theirs, name="Theirs")
    RotationVersion.objects.create(
        rotation=rotation,
        effective_from=dt.datetime(2026, 1, 5, 9, tzinfo=UTC),
        anchor=dt.datetime(2026, 1, 5, 9, tzinfo=UTC),
        timezone="UTC",
        shift_kind="daily",
        handoff_time=dt.time(9),
        member_ids=[PersonFactory().pk],
    )
    assert api_client_for(outsider).get("/api/v1/oncall-now/").json()["count"] == 0


def test_oncall_now_pages_keep_their_count_links_and_refusals(leader):
    person = PersonFactory()
    programme = ProgrammeFactory()
    rotations_of(5, [programme], [person], zone="UTC")
    client = api_client_for(leader)
    middle = client.get("/api/v1/oncall-now/?page_size=2&page=2").json()
    assert middle["count"] == 5
    assert [a["rotation"]["name"] for a in middle["results"]] == ["R2", "R3"]
    assert middle["previous"].endswith("/api/v1/oncall-now/?page_size=2")
    assert middle["next"].endswith("/api/v1/oncall-now/?page=3&page_size=2")
    last = client.get("/api/v1/oncall-now/?page_size=2&page=last").json()
    assert (last["count"], last["next"]) == (5, None)
    assert [a["rotation"]["name"] for a in last["results"]] == ["R4"]
    assert last["results"][0]["now"]["person"]["id"] == person.pk
    assert client.get("/api/v1/oncall-now/?page_size=2&page=4").status_code == 404
    assert client.get("/api/v1/oncall-now/?page=0").status_code == 404
    assert client.get("/api/v1/oncall-now/?page=two").status_code == 404
    # Past the largest offset the database takes: still a page past the end, not an error.
    assert client.get("/api/v1/oncall-now/?page=2103993486473222447693824").status_code == 404


def test_oncall_now_for_nobody_is_an_empty_first_page(outsider):
    client = api_client_for(outsider)
    assert client.get("/api/v1/oncall-now/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert client.get("/api/v1/oncall-now/?page=2").status_code == 404


def test_oncall_now_reads_a_page_with_overrides_and_time_off_in_seven_queries(
    leader, django_assert_num_queries
):
    people = PersonFactory.create_batch(3)
    rotations = rotations_of(30, [ProgrammeFactory() for _ in range(3)], people, zone="UTC")
    at = dt.datetime(2026, 3, 2, 12, tzinfo=UTC)
    Override.objects.create(
        rotation=rotations[0],
        person=people[2],
        start=at - dt.timedelta(hours=1),
        end=at + dt.timedelta(hours=1),
    )
    TimeOff.objects.create(person=people[1], start=at, end=at + dt.timedelta(days=2))
    client = api_client_for(leader)
    # The token and its owner, the page with its count, the versions, the overrides, the time
    # off, the people.
    with time_machine.travel(at, tick=False), django_assert_num_queries(7):
        response = client.get("/api/v1/oncall-now/?page_size=20")
    body = response.json()
    assert (body["count"], len(body["results"])) == (30, 20)
    covered = next(a for a in body["results"] if a["rotation"]["id"] == rotations[0].pk)
    assert (covered["now"]["source"], covered["now"]["person"]["id"]) == ("override", people[2].pk)
