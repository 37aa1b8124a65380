"""A programme ready for its weekly review: named owners, a headline metric measured, an
incident, and its series of reviews."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from governance.models import Review, ReviewStatus
from incidents.models import Incident, Severity
from programmes.models import Person, Programme
from scorecards.models import Metric
from tests.factories import MetricFactory, PersonFactory, measure
from tests.governance.stop_conditions.conftest import (  # noqa: F401  (stop conditions' fixtures)
    governed,
    owner_person,
    sponsor,
    sponsor_person,
)


@pytest.fixture
def owners(programme: Programme) -> dict[str, Person]:
    """The programme's owner and sponsor, and a technical owner."""
    people = {
        "programme_owner": PersonFactory(name="Priya Owner"),
        "executive_sponsor": PersonFactory(name="Sam Sponsor"),
        "technical_owner": PersonFactory(name="Tariq Tech"),
    }
    for field, person in people.items():
        setattr(programme, field, person)
    programme.save()
    return people


@pytest.fixture
def headline(programme: Programme) -> Metric:
    metric = MetricFactory(programme=programme, name="Accuracy")
    measure(metric, 80, 82, 84)
    return metric


@pytest.fixture
def review(programme: Programme, owners: dict[str, Person]) -> Review:
    """The programme's next review (the series exists from the programme's first save)."""
    return next_review(programme)


def next_review(programme: Programme) -> Review:
    return (
        Review.objects.filter(programme=programme, status=ReviewStatus.SCHEDULED)
        .order_by("scheduled_for")
        .first()
    ) or pytest.fail("no review scheduled")


def open_incident(programme: Programme, title: str, **fields: Any) -> Incident:
    return Incident.objects.create(
        programme=programme,
        title=title,
        severity=fields.pop("severity", Severity.SEV2),
        opened_at=fields.pop("opened_at", timezone.now() - dt.timedelta(hours=2)),
        **fields,
    )


def agenda_section(agenda: dict[str, Any], key: str) -> dict[str, Any]:
    return next(section for section in agenda["sections"] if section["key"] == key)


def item_texts(agenda: dict[str, Any], key: str) -> list[str]:
    return [entry["text"] for entry in agenda_section(agenda, key)["items"]]
