"""Incidents' panel on oncall's handoff page: the outgoing shift's incidents."""

import datetime as dt

import pytest
import time_machine

from oncall import services
from programmes.models import Role
from programmes.rules import access_for
from tests.conftest import api_client_for
from tests.factories import PersonFactory
from tests.incidents.helpers import UTC
from tests.incidents.pages.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_handoff_page_lists_the_outgoing_shift_incidents(owner, programme):
    people = [PersonFactory(name="Ana"), PersonFactory(name="Ben")]
    owner_access = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=UTC), tick=False):
        rotation = services.create_rotation(
            actor=None,
            programme=programme,
            access=owner_access,
            name="Primary",
            start=dt.date(2026, 11, 2),
            member_ids=[p.pk for p in people],
            timezone_name="Europe/London",
            shift_kind="daily",
        )
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 11, 24, 15, tzinfo=UTC), tick=False):
        opened = client.post(
            f"/api/v1/programmes/{programme.slug}/incidents/",
            {"title": "Drafts in the wrong language", "severity": "sev2"},
            format="json",
        ).json()
    with time_machine.travel(dt.datetime(2026, 11, 24, 18, tzinfo=UTC), tick=False):
        client.post(
            f"/api/v1/incidents/{opened['id']}/status/", {"status": "resolved"}, format="json"
        )
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=UTC), tick=False):
        page = signed_in(owner).get(f"/oncall/{rotation.pk}/handoff/").content.decode()
    opened_part = page.split('data-testid="opened-incidents"')[1].split("</ul>")[0]
    resolved_part = page.split('data-testid="resolved-incidents"')[1].split("</ul>")[0]
    assert "Drafts in the wrong language" in opened_part
    assert "Drafts in the wrong language" in resolved_part
