"""Stop conditions in real Chromium: a refused rule answered inline by htmx with the values kept,
the dry run, then the condition saved and shown on its page."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from governance.models import StopCondition
from programmes.models import Person, Role
from tests.factories import PASSWORD, MetricFactory, ProgrammeFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_a_condition_with_htmx_try_its_rule_and_save_it(page: Page, live_server: Any):
    sponsor = Person.objects.create(name="Sam Sponsor", email="sam@example.com")
    programme = ProgrammeFactory(
        name="Claims triage", slug="claims-triage", executive_sponsor=sponsor
    )
    maria = member(programme, Role.OWNER, username="maria")
    Person.objects.create(name="Maria Rossi", email="maria@example.com", user=maria)
    MetricFactory(programme=programme, name="Routing accuracy")
    base = live_server.url
    page.set_default_timeout(10_000)

    page.goto(f"{base}/login/?next=/programmes/claims-triage/stop-conditions/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("Text").fill("Routing accuracy below 65 % three times running: pause.")
    page.get_by_label("Consequence").select_option("pause")
    page.get_by_label("Rule Keel evaluates").select_option("metric_streak")
    page.get_by_label("Threshold (X)").fill("65")
    page.get_by_label("Count (N)").fill("0")
    page.get_by_role("button", name="Save the condition").click()
    expect(page.locator("#condition-form")).to_contain_text(
        "Measurements in a row (N) must be at least 1."
    )
    expect(page.get_by_label("Text")).to_have_value(
        "Routing accuracy below 65 % three times running: pause."
    )
    assert not StopCondition.objects.exists()

    page.get_by_label("Count (N)").fill("3")
    page.get_by_role("button", name="Try the rule on the last 90 days").click()
    expect(page.locator("#condition-form")).to_contain_text(
        "Not enough data to judge at any time in the last 90 days."
    )

    page.get_by_role("button", name="Save the condition").click()
    expect(page.locator("#condition")).to_contain_text("Awaiting approval")
    expect(page.locator("#condition")).to_contain_text("Version 1 waits for approval")
    assert StopCondition.objects.count() == 1
