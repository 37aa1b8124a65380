"""Scorecards' scheduled job: a stale headline metric reminds its owner once per stale spell."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from programmes.models import (
    Channel,
    Notification,
    Programme,
)
from scorecards.jobs import remind_stale_headlines
from scorecards.notification_kinds import STALE_HEADLINE
from tests.factories import MetricFactory, measure

pytestmark = pytest.mark.django_db


def test_stale_headline_reminds_its_owner_once_per_stale_spell(programme):
    programme.stage = "pilot"
    programme.save()
    metric = MetricFactory(programme=programme, staleness_days=14)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), tick=False):
        measure(metric, 80)
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False):
        assert remind_stale_headlines(timezone.now()) == 0
    with time_machine.travel(dt.datetime(2026, 11, 17, 9, tzinfo=dt.UTC), tick=False):
        assert remind_stale_headlines(timezone.now()) == 2  # in-app and email
        assert remind_stale_headlines(timezone.now()) == 0
    stale = Notification.objects.filter(kind=STALE_HEADLINE)
    assert stale.get(channel=Channel.IN_APP).recipient == metric.owner
    with time_machine.travel(dt.datetime(2026, 12, 20, 9, tzinfo=dt.UTC), tick=False):
        measure(metric, 81, start=dt.datetime(2026, 11, 18, 9, tzinfo=dt.UTC))
        assert remind_stale_headlines(timezone.now()) == 2  # a new spell since the 18th


def test_stale_reminder_skips_programmes_not_being_worked_on(programme):
    Programme.objects.filter(pk=programme.pk).update(stage="retired")
    MetricFactory(programme=programme)
    assert remind_stale_headlines(timezone.now()) == 0
