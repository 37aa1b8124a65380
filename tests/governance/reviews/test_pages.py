"""The review pages: the Reviews tab, the review page (live agenda, then the meeting, with htmx
and as plain forms), the minutes and their Markdown download."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from governance.models import ActionItem, Decision, Review, ReviewStatus
from programmes.models import Programme
from tests.conftest import log_in
from tests.factories import PASSWORD

from .conftest import open_incident

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser(owner: Any) -> Client:
    client = Client()
    assert log_in(client, username=owner.username, password=PASSWORD)
    return client


def _url(review: Review, verb: str = "") -> str:
    return review.get_absolute_url() + (f"{verb}/" if verb else "")


def test_the_review_page_shows_the_live_agenda_before_the_meeting(
    browser: Client, review: Review, headline: Any
) -> None:
    open_incident(review.programme, "Payout advice wrong")
    page = browser.get(_url(review)).content.decode()
    assert "Live: built from the programme's data now" in page
    assert "Headline: OK Accuracy: 84 % vs 90 %" in page
    assert "Payout advice wrong" in page
    assert "Start the review" in page
    for title in ("1. Prior action items", "2. Scorecard", "3. Incidents", "4. On-call"):
        assert title in page


def test_starting_without_javascript_freezes_the_agenda(browser: Client, review: Review) -> None:
    answer = browser.post(_url(review, "start"))
    assert answer.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.STARTED
    assert review.snapshot is not None
    page = browser.get(_url(review)).content.decode()
    assert "Frozen when the review started" in page
    assert "Mark held" in page


def test_attendance_with_htmx_answers_with_its_part_of_the_page(
    browser: Client, review: Review
) -> None:
    browser.post(_url(review, "start"))
    sponsor = review.programme.executive_sponsor
    assert sponsor is not None
    answer = browser.post(
        _url(review, "attendance"), {"person": sponsor.pk, "present": "1"}, **HTMX
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert body.lstrip().startswith('<section class="card" id="attendance">')
    assert "present" in body
    assert review.attendance.get(person=sponsor).present


def test_a_refused_action_with_htmx_keeps_what_was_typed(browser: Client, review: Review) -> None:
    browser.post(_url(review, "start"))
    answer = browser.post(_url(review, "action"), {"title": "Re-run the golden set"}, **HTMX)
    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'id="actions"' in body
    assert "Every action has an owner" in body
    assert "Give the action a due date." in body
    assert 'value="Re-run the golden set"' in body
    assert not ActionItem.objects.exists()


def test_a_refused_decision_without_javascript_shows_the_page_again_with_its_values(
    browser: Client, review: Review
) -> None:
    browser.post(_url(review, "start"))
    answer = browser.post(_url(review, "decision"), {"kind": "defer", "text": ""})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "Say why the item is deferred." in body
    assert '<option value="defer" selected>' in body
    assert not Decision.objects.exists()


def test_a_decision_and_an_action_without_javascript(browser: Client, review: Review) -> None:
    browser.post(_url(review, "start"))
    decided = browser.post(_url(review, "decision"), {"kind": "continue", "text": "On track"})
    assert decided.status_code == 302
    owner = review.programme.programme_owner
    assert owner is not None
    due = (timezone.now().date() + dt.timedelta(days=7)).isoformat()
    added = browser.post(
        _url(review, "action"), {"title": "Ship the fix", "owner": owner.pk, "due_on": due}
    )
    assert added.status_code == 302
    page = browser.get(_url(review)).content.decode()
    assert "On track" in page
    assert f"TODO({owner.name}) Ship the fix" in page


def test_notes_are_markdown_rendered_safely(browser: Client, review: Review) -> None:
    browser.post(_url(review, "start"))
    browser.post(_url(review, "notes"), {"notes": "**Agreed** <script>alert('x')</script>"})
    page = browser.get(_url(review)).content.decode()
    assert "<strong>Agreed</strong>" in page
    assert "<script>alert" not in page


def test_holding_leads_to_the_minutes_and_the_markdown_download(
    browser: Client, review: Review
) -> None:
    browser.post(_url(review, "start"))
    browser.post(_url(review, "decision"), {"kind": "continue", "text": "Keep going"})
    held = browser.post(_url(review, "hold"))
    assert held.status_code == 302
    assert held["Location"] == review.get_minutes_url()
    minutes = browser.get(review.get_minutes_url()).content.decode()
    assert "Minutes of the weekly review" in minutes
    assert "Keep going" in minutes
    download = browser.get(review.get_minutes_url().replace("minutes/", "minutes.md"))
    assert download["Content-Type"].startswith("text/markdown")
    assert "attachment" in download["Content-Disposition"]
    text = download.content.decode()
    assert text.startswith(f"# {review.programme.name}: weekly review of")
    assert "- **Continue**: Keep going" in text
    assert "### 2. Scorecard" in text


def test_move_and_cancel_without_javascript(browser: Client, review: Review) -> None:
    local = review.scheduled_for + dt.timedelta(days=1)
    moved = browser.post(_url(review, "move"), {"to": local.strftime("%Y-%m-%dT%H:%M")})
    assert moved.status_code == 302
    review.refresh_from_db()
    assert review.moved_from is not None
    refused = browser.post(_url(review, "cancel"), {"reason": ""})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    cancelled = browser.post(_url(review, "cancel"), {"reason": "Board week"})
    assert cancelled.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CANCELLED


def test_the_reviews_tab_lists_each_kind_and_the_rates(
    browser: Client, programme: Programme, owners: Any
) -> None:
    now = timezone.now()
    for weeks, status in (
        (1, ReviewStatus.HELD),
        (2, ReviewStatus.MISSED),
        (3, ReviewStatus.CANCELLED),
    ):
        moment = now - dt.timedelta(weeks=weeks)
        Review.objects.create(
            programme=programme,
            scheduled_for=moment,
            timezone="UTC",
            missed_after=moment + dt.timedelta(hours=12),
            remind_at=moment - dt.timedelta(days=1),
            status=status,
            held_at=moment + dt.timedelta(hours=1) if status == ReviewStatus.HELD else None,
            cancel_reason="Offsite" if status == ReviewStatus.CANCELLED else "",
        )
    page = browser.get(f"/programmes/{programme.slug}/reviews/").content.decode()
    assert 'data-testid="held-on-time">50 %' in page
    assert "Offsite" in page
    for heading in ("Upcoming", "Held", "Missed", "Cancelled"):
        assert f"<h2>{heading}</h2>" in page
