"""Fixtures of the incident tests."""

import datetime as dt

import pytest
import time_machine

from oncall import services
from tests.factories import PersonFactory
from tests.incidents.helpers import OWNER, UTC


@pytest.fixture
def oncall_programme(programme):
    """A programme with a primary and a secondary rotation and an on-call lead."""
    primary = [PersonFactory(name=n) for n in ("Pat Primary", "Paul Primary")]
    secondary = [PersonFactory(name="Sam Secondary")]
    programme.oncall_lead = PersonFactory(name="Lee Lead")
    programme.save()
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=UTC), tick=False):
        for name, level, people in (
            ("Primary", "primary", primary),
            ("Secondary", "secondary", secondary),
        ):
            services.create_rotation(
                actor=None,
                programme=programme,
                access=OWNER,
                name=name,
                level=level,
                start=dt.date(2026, 11, 2),
                member_ids=[p.pk for p in people],
                timezone_name="Europe/London",
                shift_kind="weekly",
            )
    return programme
