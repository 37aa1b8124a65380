"""An incident in real Chromium: open it, acknowledge it, resolve it, and find it on the handoff
page."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from incidents.models import Incident
from oncall import services
from programmes.models import Person, Role
from programmes.rules import access_for
from tests.factories import PASSWORD, ProgrammeFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_acknowledge_resolve_and_see_it_on_the_handoff_page(
    page: Page, live_server: Any, tmp_path: Any
):
    programme = ProgrammeFactory(name="Claims triage", slug="claims-triage")
    maria = member(programme, Role.EDITOR, username="maria")
    person = Person.objects.create(name="Maria Rossi", email="maria@example.com", user=maria)
    other = Person.objects.create(name="Omar Haddad", email="omar@example.com")
    rotation = services.create_rotation(
        actor=None,
        programme=programme,
        access=access_for(role=Role.OWNER, is_staff=False, is_leadership=False),
        name="Primary",
        start=timezone.localdate() - dt.timedelta(days=3),
        member_ids=[person.pk, other.pk],
        timezone_name="UTC",
        shift_kind="daily",
        handoff_time=dt.time(0, 0),
    )
    base = live_server.url
    page.set_default_timeout(10_000)

    page.goto(f"{base}/login/?next=/programmes/claims-triage/incidents/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("Title").fill("Claims routed to the fraud queue")
    page.get_by_label("Severity").select_option("sev1")
    page.get_by_role("button", name="Open incident").click()
    expect(page.get_by_test_id("incident-status")).to_have_text("Triggered")

    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("incident-status")).to_have_text("Acknowledged")
    page.get_by_role("button", name="Resolve").click()
    expect(page.get_by_test_id("incident-status")).to_have_text("Resolved")
    incident = Incident.objects.get()
    assert incident.acknowledged_at is not None
    assert incident.resolved_at is not None

    page.goto(f"{base}/oncall/{rotation.pk}/handoff/")
    expect(page.get_by_test_id("opened-incidents")).to_contain_text(
        "Claims routed to the fraud queue"
    )
    expect(page.get_by_test_id("resolved-incidents")).to_contain_text(
        "Claims routed to the fraud queue"
    )
    page.screenshot(path=str(tmp_path / "handoff.png"), full_page=True)
