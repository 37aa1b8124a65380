"""Fixtures of the stop-condition tests: a programme with a sponsor who approves, an owner who
writes, a headline metric (higher is better, baseline 70, target 90)."""

from typing import Any

import pytest

from programmes.models import Role
from tests.factories import MetricFactory, PersonFactory, member


@pytest.fixture
def owner_person(programme: Any, owner: Any) -> Any:
    person = PersonFactory(name="Olivia Owner", user=owner, timezone="Europe/London")
    programme.programme_owner = person
    programme.save()
    return person


@pytest.fixture
def sponsor(programme: Any) -> Any:
    """The executive sponsor: a viewer of the programme, the policy's approver by default."""
    return member(programme, Role.VIEWER, username="sam")


@pytest.fixture
def sponsor_person(programme: Any, sponsor: Any) -> Any:
    person = PersonFactory(name="Sam Sponsor", user=sponsor, timezone="Europe/London")
    programme.executive_sponsor = person
    programme.save()
    return person


@pytest.fixture
def headline(programme: Any) -> Any:
    return MetricFactory(programme=programme, name="Routing accuracy")


@pytest.fixture
def governed(programme: Any, owner_person: Any, sponsor_person: Any, headline: Any) -> Any:
    """The programme with its owner, sponsor and headline in place; it meets in London."""
    programme.refresh_from_db()
    programme.review_timezone = "Europe/London"
    programme.save()
    return programme
