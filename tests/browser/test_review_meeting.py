"""A whole weekly review in real Chromium: open the review page, start it, mark attendance,
record a decision and an action item without a page reload, hold it, and read the minutes."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from governance.models import ActionItem, Decision, Review, ReviewStatus
from programmes.models import Person, Role
from tests.factories import PASSWORD, ProgrammeFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_whole_meeting_from_the_review_page_to_the_minutes(page: Page, live_server: Any) -> None:
    programme = ProgrammeFactory(name="Claims triage", slug="claims-triage")
    chair = member(programme, Role.EDITOR, username="maria")
    owner = Person.objects.create(name="Maria Rossi", email="maria@example.com", user=chair)
    sponsor = Person.objects.create(name="Sam Sponsor", email="sam@example.com")
    programme.programme_owner, programme.executive_sponsor = owner, sponsor
    programme.save()
    review = Review.objects.filter(programme=programme).order_by("scheduled_for").first()
    assert review is not None
    base = live_server.url
    page.set_default_timeout(10_000)

    page.goto(f"{base}/login/?next={review.get_absolute_url()}")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("agenda-kind")).to_contain_text("Live")

    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_test_id("review-status")).to_have_text("In progress")
    expect(page.get_by_test_id("agenda-kind")).to_contain_text("Frozen")
    # From here on nothing reloads the page: this mark would be lost if it did.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_test_id(f"seat-{sponsor.pk}").get_by_role("button", name="Present").click()
    expect(page.get_by_test_id(f"seat-{sponsor.pk}").get_by_test_id("mark")).to_have_text("present")
    page.get_by_test_id(f"seat-{owner.pk}").get_by_role("button", name="Present").click()
    expect(page.get_by_test_id(f"seat-{owner.pk}").get_by_test_id("mark")).to_have_text("present")

    page.get_by_label("Decision").select_option("continue")
    page.get_by_label("What was decided, and why").fill("Keep the pilot running a month")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("decisions")).to_contain_text("Keep the pilot running a month")

    page.get_by_label("Action").fill("Re-run the golden set on v2")
    page.locator("#actions").get_by_label("Owner").select_option(str(owner.pk))
    due = timezone.localdate() + dt.timedelta(days=7)
    page.locator("#actions").get_by_label("Due on").fill(due.isoformat())
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_test_id("actions")).to_contain_text(
        "TODO(Maria Rossi) Re-run the golden set on v2"
    )
    assert page.evaluate("window.stillTheSamePage") is True
    assert Decision.objects.filter(review=review, kind="continue").exists()
    assert ActionItem.objects.filter(raised_in=review, owner=owner).exists()

    page.get_by_role("button", name="Mark held").click()
    expect(page.get_by_test_id("present")).to_contain_text("Sam Sponsor")
    expect(page.get_by_test_id("minutes-decisions")).to_contain_text(
        "Keep the pilot running a month"
    )
    expect(page.get_by_test_id("minutes-actions")).to_contain_text("Re-run the golden set on v2")
    assert page.url.endswith(review.get_minutes_url())
    review.refresh_from_db()
    assert review.status == ReviewStatus.HELD
