"""Handoffs through the API: notes, acknowledgement, the lead told once, rows that follow the
schedule."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from oncall.jobs import prepare_handoffs, remind_unacknowledged_handoffs
from oncall.models import (
    Handoff,
    Override,
)
from oncall.notification_kinds import (
    HANDOFF_UNACKNOWLEDGED,
)
from programmes.models import Channel, Notification, Role
from programmes.registry.jobs import run_due_jobs
from tests.conftest import api_client_for
from tests.factories import PersonFactory, member
from tests.oncall.helpers import (
    UTC,
    create,
)

pytestmark = pytest.mark.django_db


def test_handoff_notes_acknowledgement_and_the_lead_told_once(programme, people):
    lead = PersonFactory(name="Lead")
    programme.oncall_lead = lead
    programme.stage = "pilot"
    programme.save()
    editor = member(programme, Role.EDITOR, username="ed")
    incoming_user = member(programme, Role.VIEWER, username="ben")
    people[1].user = incoming_user
    people[1].save()
    people[2].user = member(programme, Role.VIEWER, username="cleo")
    people[2].save()
    client = api_client_for(editor)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        create(client, programme, people, start="2026-03-02")
    handoff_at = dt.datetime(2026, 3, 3, 9, tzinfo=UTC)  # Ana → Ben
    with time_machine.travel(handoff_at - dt.timedelta(minutes=10), tick=False):
        run_due_jobs(timezone.now())
        handoff = Handoff.objects.get(starts_at=handoff_at)
        assert (handoff.outgoing.name, handoff.incoming.name) == ("Ana", "Ben")
        notes = client.patch(
            f"/api/v1/handoffs/{handoff.pk}/", {"notes": "Queue **quiet**"}, format="json"
        )
        assert notes.status_code == 200
    with time_machine.travel(handoff_at + dt.timedelta(minutes=29), tick=False):
        run_due_jobs(timezone.now())
        assert remind_unacknowledged_handoffs(timezone.now()) == 0
    with time_machine.travel(handoff_at + dt.timedelta(minutes=31), tick=False):
        run_due_jobs(timezone.now())
        run_due_jobs(timezone.now())
    told = Notification.objects.filter(kind=HANDOFF_UNACKNOWLEDGED, channel=Channel.IN_APP)
    assert [n.recipient for n in told] == [lead]
    kinds = set(Notification.objects.values_list("kind", "recipient__name"))
    assert ("shift_soon", "Ben") in kinds
    assert ("handoff", "Ana") in kinds
    assert ("handoff", "Ben") in kinds

    # The next day's handoff is acknowledged in time by Cleo, coming in: the lead hears nothing
    # more.
    next_at = handoff_at + dt.timedelta(days=1)
    with time_machine.travel(next_at - dt.timedelta(minutes=5), tick=False):
        run_due_jobs(timezone.now())
    with time_machine.travel(next_at + dt.timedelta(minutes=5), tick=False):
        nxt = Handoff.objects.get(starts_at=next_at)
        cleo = api_client_for(people[2].user)
        ack = cleo.post(f"/api/v1/handoffs/{nxt.pk}/acknowledge/")
        assert ack.status_code == 200
        assert ack.json()["acknowledgement"] == "Cleo has it"
        twice = cleo.post(f"/api/v1/handoffs/{nxt.pk}/acknowledge/")
        assert twice.status_code == 400
    with time_machine.travel(next_at + dt.timedelta(hours=1), tick=False):
        run_due_jobs(timezone.now())
    assert told.count() == 1


def test_the_outgoing_engineer_cannot_acknowledge(programme, people):
    viewer_user = member(programme, Role.VIEWER, username="ana")
    people[0].user = viewer_user
    people[0].save()
    owner_user = member(programme, Role.OWNER, username="boss")
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        create(api_client_for(owner_user), programme, people, start="2026-03-02")
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 5, tzinfo=UTC), tick=False):
        prepare_handoffs(timezone.now())
        row = Handoff.objects.get(starts_at=dt.datetime(2026, 3, 3, 9, tzinfo=UTC))
        refused = api_client_for(viewer_user).post(f"/api/v1/handoffs/{row.pk}/acknowledge/")
        assert refused.status_code == 403  # Ana is outgoing, not incoming


def test_coming_handoff_rows_follow_a_new_override(owner, programme, people):
    programme.stage = "pilot"
    programme.save()
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(api_client_for(owner), programme, people, start="2026-03-02")
    boundary = dt.datetime(2026, 3, 3, 9, tzinfo=UTC)  # Ana → Ben
    with time_machine.travel(boundary - dt.timedelta(minutes=50), tick=False):
        run_due_jobs(timezone.now())
        assert Handoff.objects.get(starts_at=boundary).incoming == people[1]
        Override.objects.create(
            rotation_id=rotation["id"],
            person=people[2],
            start=boundary,
            end=boundary + dt.timedelta(hours=2),
        )
        run_due_jobs(timezone.now())
        assert Handoff.objects.get(starts_at=boundary).incoming == people[2]
