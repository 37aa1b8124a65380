"""The leadership dashboard in real Chromium: on a 390 px phone it fits the screen with the
worst programme first; filters work in place and without JavaScript; the board pack prints to
PDF with a page per programme."""

import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from .layout import DESKTOP, PHONE, layout_problems, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server: Any) -> str:
    call_command("load_demo", verbosity=0)
    return str(live_server.url)


def test_on_a_phone_the_dashboard_fits_and_the_worst_programme_comes_first(
    browser: Browser, demo_site: str
):
    page = signed_in(browser, demo_site, "leader", "demo", **PHONE)
    page.goto(f"{demo_site}/")
    rows = page.locator("tr.programme-row")
    expect(rows.first).to_have_attribute("data-slug", "claims-triage-assistant")
    expect(rows.first.locator("td.reason")).to_contain_text("1 stop condition tripped")
    # Each programme is a card: the row's cells stack, one fact a line, with their labels.
    first_box = rows.first.bounding_box()
    assert first_box is not None
    assert first_box["width"] <= 390
    assert layout_problems(page, 390) == []


def test_filters_work_in_place_with_htmx_and_without_javascript(browser: Browser, demo_site: str):
    page = signed_in(browser, demo_site, "leader", "demo", **DESKTOP)
    page.goto(f"{demo_site}/")
    page.evaluate("window.keelStayedOnPage = true")
    page.get_by_label("Search").fill("claims")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tr.programme-row")).to_have_count(1)
    assert page.evaluate("window.keelStayedOnPage") is True
    assert "q=claims" in page.url
    page.get_by_role("link", name=re.compile(r"^\d+ Pilots$")).click()
    expect(page.locator("tr.programme-row")).to_have_count(0)
    assert "bucket=pilots" in page.url
    # The form follows the view the link chose: changing a filter keeps the bucket.
    expect(page.get_by_label("Bucket", exact=True)).to_have_value("pilots")
    assert page.evaluate("window.keelStayedOnPage") is True

    context = browser.new_context(java_script_enabled=False, **DESKTOP)
    plain = context.new_page()
    plain.goto(f"{demo_site}/login/")
    plain.get_by_label("Username").fill("leader")
    plain.get_by_label("Password").fill("demo")
    plain.get_by_role("button", name="Log in").click()
    plain.get_by_label("Stage", exact=True).select_option("paused")
    plain.get_by_role("button", name="Show").click()
    expect(plain.locator("tr.programme-row")).to_have_count(1)
    assert "stage=paused" in plain.url
    context.close()


def test_the_board_pack_prints_to_pdf_with_a_page_per_programme(
    browser: Browser, demo_site: str, tmp_path: Any
):
    page = signed_in(browser, demo_site, "leader", "demo", **DESKTOP)
    page.goto(f"{demo_site}/portfolio/board-pack/")
    blocks = page.locator("section.pack-block").count()
    assert blocks >= 5
    pdf = page.pdf(path=str(tmp_path / "board-pack.pdf"), format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages == blocks
