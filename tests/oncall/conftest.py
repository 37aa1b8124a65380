"""Fixtures of the on-call tests."""

import datetime as dt

import pytest
import time_machine

from tests.factories import PersonFactory
from tests.oncall.helpers import UTC


@pytest.fixture
def mid_march():
    """Mid-March 2026: the April dates these tests use are still to come."""
    with time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def people():
    return [PersonFactory(name=name) for name in ("Ana", "Ben", "Cleo")]
