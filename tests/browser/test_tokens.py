"""Machine tokens in real Chromium: made and revoked without JavaScript (whole pages, a question
before revoking), and with it (the fragment swapped in, a dialog before revoking)."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, expect

from programmes.models import ProgrammeToken, Role
from tests.factories import PASSWORD, ProgrammeFactory, member

from .layout import PHONE, layout_problems, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scorecard_path(db: Any) -> str:
    programme = ProgrammeFactory(name="Claims triage", slug="claims-triage")
    member(programme, Role.OWNER, username="olivia")
    return "/programmes/claims-triage/scorecard/"


def test_without_javascript_a_token_is_made_and_revoked_on_whole_pages(
    browser: Browser, live_server: Any, scorecard_path: str
):
    page = signed_in(
        browser, live_server.url, "olivia", PASSWORD, java_script_enabled=False, **PHONE
    )
    page.goto(live_server.url + scorecard_path)
    page.get_by_label("New token for").fill("nightly eval harness")
    page.get_by_label("for", exact=True).select_option("alertmanager")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy this token now")).to_be_visible()
    expect(page.locator(".topbar")).to_be_visible()
    assert layout_problems(page, 390) == []
    token = ProgrammeToken.objects.get()
    assert token.scope == "alertmanager"

    page.get_by_role("link", name="Revoke").click()
    expect(
        page.get_by_role("heading", name="Revoke the token “nightly eval harness”?")
    ).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is None
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("Token “nightly eval harness” revoked.")).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_with_javascript_revoking_asks_in_a_dialog(
    browser: Browser, live_server: Any, scorecard_path: str
):
    page = signed_in(browser, live_server.url, "olivia", PASSWORD, **PHONE)
    page.goto(live_server.url + scorecard_path)
    page.get_by_label("New token for").fill("nightly eval harness")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy this token now")).to_be_visible()
    token = ProgrammeToken.objects.get()

    questions: list[str] = []

    def say_no(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", say_no)
    page.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("link", name="Revoke")).to_be_visible()
    assert questions == [
        "Revoke the token “nightly eval harness”? Whatever uses it stops working at once."
    ]
    token.refresh_from_db()
    assert token.revoked_at is None

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Revoke").click()
    expect(page.get_by_text("Token “nightly eval harness” revoked.")).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None
