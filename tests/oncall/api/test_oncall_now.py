"""Who is on call now, across a thousand rotations, in a constant number of queries."""

import datetime as dt

import pytest

from oncall.models import (
    Rotation,
    RotationVersion,
)
from tests.conftest import api_client_for
from tests.factories import PersonFactory, ProgrammeFactory
from tests.oncall.helpers import (
    UTC,
)

pytestmark = pytest.mark.django_db


def test_oncall_now_for_a_thousand_rotations_runs_a_constant_number_of_queries(
    leader, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(6)
    programmes = [ProgrammeFactory() for _ in range(10)]
    anchor = dt.datetime(2026, 1, 5, 9, tzinfo=UTC)
    rotations = Rotation.objects.bulk_create(
        Rotation(programme=programmes[n % 10], name=f"R{n}") for n in range(1000)
    )
    RotationVersion.objects.bulk_create(
        RotationVersion(
            rotation=rotation,
            effective_from=anchor,
            anchor=anchor,
            timezone="Europe/London",
            shift_kind="weekly" if n % 2 else "daily",
            handoff_time=dt.time(9),
            member_ids=[p.pk for p in people],
        )
        for n, rotation in enumerate(rotations)
    )
    client = api_client_for(leader)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/oncall-now/")
    answers = response.json()
    assert len(answers) == 1000
    assert all(answer["now"]["person"] for answer in answers)
