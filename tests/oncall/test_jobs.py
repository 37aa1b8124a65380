"""On-call's scheduled jobs: a gap under way is reported once."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from oncall.jobs import remind_gaps
from oncall.models import (
    TimeOff,
)
from oncall.notification_kinds import (
    ROTATION_GAP,
)
from programmes.models import Channel, Notification
from tests.conftest import api_client_for
from tests.factories import PersonFactory
from tests.oncall.helpers import (
    UTC,
    create,
)

pytestmark = pytest.mark.django_db


def test_a_gap_under_way_is_reported_once_not_every_tick(owner, programme, people):
    programme.programme_owner = PersonFactory(name="Owner")
    programme.stage = "pilot"
    programme.save()
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        create(api_client_for(owner), programme, people, start="2026-03-02")
        TimeOff.objects.create(
            person=people[0],
            start=dt.datetime(2026, 3, 5, tzinfo=UTC),
            end=dt.datetime(2026, 3, 6, tzinfo=UTC),
        )
    for hour in (10, 11, 15):
        with time_machine.travel(dt.datetime(2026, 3, 5, hour, tzinfo=UTC), tick=False):
            remind_gaps(timezone.now())
    gaps = Notification.objects.filter(kind=ROTATION_GAP, channel=Channel.IN_APP)
    assert gaps.count() == 1
