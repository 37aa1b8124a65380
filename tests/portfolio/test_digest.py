"""The Monday portfolio digest: to each leader at 08:00 in their zone, with every programme's
standing."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from portfolio.jobs import send_portfolio_digest
from programmes.models import (
    Channel,
    Notification,
    Stage,
)
from programmes.selectors import LEADERSHIP_GROUP
from tests.factories import (
    MetricFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
    measure,
)

pytestmark = pytest.mark.django_db


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_the_portfolio_digest_reaches_each_leader_on_monday_morning_in_their_time_zone():
    leadership = Group.objects.create(name=LEADERSHIP_GROUP)
    london, new_york = UserFactory(), UserFactory()
    london.groups.add(leadership)
    new_york.groups.add(leadership)
    PersonFactory(user=london, timezone="Europe/London")
    PersonFactory(user=new_york, timezone="America/New_York")
    claims = ProgrammeFactory(name="Claims triage", stage=Stage.PILOT)
    ProgrammeFactory(name="Fraud summaries", stage=Stage.PILOT)
    accuracy = MetricFactory(
        programme=claims,
        name="Routing accuracy",
        baseline_date=dt.date(2026, 1, 1),
        target_date=dt.date(2026, 12, 31),
    )
    measure(accuracy, 80, start=at(2026, 11, 20, 9, 0))

    assert send_portfolio_digest(at(2026, 11, 23, 7, 59)) == 0  # 07:59 in London
    assert send_portfolio_digest(at(2026, 11, 23, 8, 0)) == 2  # London: inbox + email
    assert send_portfolio_digest(at(2026, 11, 23, 12, 59)) == 0  # 07:59 in New York
    assert send_portfolio_digest(at(2026, 11, 23, 13, 0)) == 2
    assert send_portfolio_digest(at(2026, 11, 24, 9, 0)) == 0
    digest = Notification.objects.filter(channel=Channel.EMAIL).first()
    assert digest is not None
    assert "2 active programmes: 2 pilot" in digest.body
    # 50 % of the way from 70 to 90 with 89.3 % of the time gone: amber.
    assert "Routing accuracy: 80 (target 90), 50.0% of the way, amber" in digest.body
    assert "Fraud summaries (pilot)\n    no headline metric agreed\n    missing" in digest.body
