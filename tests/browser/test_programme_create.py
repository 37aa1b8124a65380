"""A person's path through Keel in real Chromium: log in, start a programme, see it listed."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from programmes.models import Programme
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_create_a_programme_fix_an_error_and_see_it_listed(
    page: Page, live_server: Any, tmp_path: Any
):
    UserFactory(username="maria")
    base = live_server.url
    page.set_default_timeout(10_000)

    page.goto(f"{base}/programmes/")
    expect(page).to_have_url(f"{base}/login/?next=/programmes/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Programmes")).to_be_visible()

    page.get_by_role("link", name="New programme").click()
    page.get_by_label("Business unit").fill("Finance")
    page.get_by_label("Review time zone").fill("Europe/Atlantis")
    page.get_by_role("button", name="Create programme").click()
    # htmx swaps in the form with the errors beside their fields; nothing is saved.
    expect(page.locator(".field-error").first).to_contain_text("This field is required.")
    expect(page.get_by_text("“Europe/Atlantis” is not a known time zone")).to_be_visible()
    expect(page.get_by_label("Business unit")).to_have_value("Finance")
    assert not Programme.objects.exists()

    page.get_by_label("Name").fill("Invoice matching agent")
    page.get_by_label("Review time zone").fill("Europe/London")
    page.get_by_role("button", name="Create programme").click()

    expect(page.get_by_role("heading", name="Invoice matching agent")).to_be_visible()
    expect(page).to_have_url(f"{base}/programmes/invoice-matching-agent/")
    expect(page.get_by_text("Invoice matching agent has been created.")).to_be_visible()

    page.get_by_role("link", name="Programmes", exact=True).first.click()
    expect(page.get_by_role("link", name="Invoice matching agent")).to_be_visible()
    page.screenshot(path=str(tmp_path / "programme-list.png"))
