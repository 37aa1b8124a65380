"""Incidents' scheduled jobs: escalation of an unacknowledged SEV1."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from incidents.jobs import escalate_unacknowledged_incidents
from incidents.notification_kinds import INCIDENT_OPENED
from programmes.models import (
    Channel,
    Notification,
)
from tests.conftest import api_client_for
from tests.incidents.helpers import (
    UTC,
    escalations,
    open_sev1,
)

pytestmark = pytest.mark.django_db


def test_unacknowledged_sev1_escalates_once_after_15_minutes(owner, oncall_programme):
    opened = dt.datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    with time_machine.travel(opened, tick=False):
        incident = open_sev1(api_client_for(owner), oncall_programme)
    assert incident["responder"]["name"] in {"Pat Primary", "Paul Primary"}
    paged = Notification.objects.filter(kind=INCIDENT_OPENED, channel=Channel.IN_APP)
    assert [n.recipient.name for n in paged] == [incident["responder"]["name"]]
    with time_machine.travel(opened + dt.timedelta(minutes=14, seconds=59), tick=False):
        assert escalate_unacknowledged_incidents(timezone.now()) == 0
    with time_machine.travel(opened + dt.timedelta(minutes=15), tick=False):
        escalate_unacknowledged_incidents(timezone.now())
        escalate_unacknowledged_incidents(timezone.now())
    with time_machine.travel(opened + dt.timedelta(minutes=40), tick=False):
        escalate_unacknowledged_incidents(timezone.now())
    assert sorted(n.recipient.name for n in escalations()) == ["Lee Lead", "Sam Secondary"]


def test_acknowledged_in_time_escalates_to_nobody(owner, oncall_programme):
    opened = dt.datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    client = api_client_for(owner)
    with time_machine.travel(opened, tick=False):
        incident = open_sev1(client, oncall_programme)
    with time_machine.travel(opened + dt.timedelta(minutes=9), tick=False):
        acked = client.post(
            f"/api/v1/incidents/{incident['id']}/status/", {"status": "acknowledged"}, format="json"
        )
        assert acked.status_code == 200
    with time_machine.travel(opened + dt.timedelta(minutes=20), tick=False):
        escalate_unacknowledged_incidents(timezone.now())
    assert not escalations().exists()
