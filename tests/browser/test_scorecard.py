"""Recording a measurement on the scorecard in real Chromium: the chart and progress update in
place, without a page load."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from programmes.models import Role
from scorecards.models import Measurement
from tests.factories import PASSWORD, MetricFactory, ProgrammeFactory, measure, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_a_measurement_and_see_chart_and_progress_update_in_place(
    page: Page, live_server: Any, tmp_path: Any
):
    programme = ProgrammeFactory(name="Claims triage", slug="claims-triage")
    member(programme, Role.EDITOR, username="maria")
    metric = MetricFactory(programme=programme, name="Routing accuracy")
    measure(metric, 78, 80)
    base = live_server.url
    page.set_default_timeout(10_000)

    page.goto(f"{base}/login/?next=/programmes/claims-triage/scorecard/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    panel = page.locator(f"#metric-panel-{metric.pk}")
    expect(panel.get_by_test_id("progress")).to_have_text("50.0%")
    expect(panel.locator("svg[data-points]")).to_have_attribute("data-points", "2")
    # A full page load would wipe this.
    page.evaluate("window.keelStayedOnPage = true")

    panel.get_by_label("Value").fill("86")
    panel.get_by_label("Measured at").fill("2099-01-01T09:00")
    panel.get_by_role("button", name="Add measurement").click()
    expect(panel.get_by_text("is in the future")).to_be_visible()
    expect(panel.get_by_test_id("progress")).to_have_text("50.0%")

    when = timezone.now() - dt.timedelta(minutes=10)
    panel.get_by_label("Measured at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    panel.get_by_role("button", name="Add measurement").click()

    expect(panel.get_by_test_id("progress")).to_have_text("80.0%")
    expect(panel.locator("svg[data-points]")).to_have_attribute("data-points", "3")
    expect(panel.get_by_test_id("current-value")).to_contain_text("86")
    expect(panel.get_by_text("Measurement recorded.")).to_be_visible()
    assert page.evaluate("window.keelStayedOnPage") is True
    assert Measurement.objects.filter(metric=metric).count() == 3
    page.screenshot(path=str(tmp_path / "scorecard.png"), full_page=True)
