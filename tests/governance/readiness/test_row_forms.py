"""The Readiness tab's small per-row forms: a refusal comes back as 400 with the values
submitted kept in that row and each error beside its field, never a 500, nothing half-saved;
and its earlier rounds come a page at a time in a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Criterion, SignOff, Waiver
from tests.conftest import log_in
from tests.factories import PASSWORD
from tests.governance.readiness.helpers import make_ready, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(client, programme):
    users = make_ready(programme)
    assert log_in(client, username="programme_owner", password=PASSWORD)
    return users


def _form(page: str, action: str) -> str:
    """The form posting to ``action`` on ``page``, as HTML."""
    found = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    assert found, f"no form posting to {action}"
    return found.group(0)


def test_a_refused_criterion_update_keeps_the_values_in_its_row(client, programme, users):
    runbook = Criterion.objects.get(programme=programme, evidence_check="runbook")
    url = f"/programmes/{programme.slug}/readiness/criteria/{runbook.pk}/"
    response = client.post(
        url,
        {"status": "met", "owner": "", "evidence_link": "", "note": "Checked by hand"},
    )
    assert response.status_code == 400
    form = _form(response.content.decode(), url)
    assert "Keel checks this criterion itself" in form
    assert 'value="Checked by hand"' in form
    assert '<option value="met" selected>' in form
    runbook.refresh_from_db()
    assert (runbook.status, runbook.note) == ("not_started", "")


def test_bad_fields_are_field_errors_and_nothing_is_saved(client, programme, users):
    criterion = Criterion.objects.get(programme=programme, title="Structured logs")
    url = f"/programmes/{programme.slug}/readiness/criteria/{criterion.pk}/"
    response = client.post(
        url,
        {
            "status": "in_progress",
            "owner": "99999999",
            "evidence_link": "not a link at all",
            "note": "Half done",
        },
    )
    assert response.status_code == 400
    form = _form(response.content.decode(), url)
    assert form.count('class="field-error"') == 2
    assert 'value="not a link at all"' in form
    assert 'value="Half done"' in form
    assert '<option value="in_progress" selected>' in form
    criterion.refresh_from_db()
    assert (criterion.status, criterion.note, criterion.evidence_link) == ("met", "", "")
    # Another row's form shows what is stored, not what was posted.
    other = Criterion.objects.get(programme=programme, title="Dashboards")
    other_url = f"/programmes/{programme.slug}/readiness/criteria/{other.pk}/"
    assert 'value="Half done"' not in _form(response.content.decode(), other_url)


def test_a_refused_waiver_keeps_its_reason_and_writes_nothing(client, programme, users):
    client.logout()
    assert log_in(client, username="security_owner", password=PASSWORD)
    jailbreak = Criterion.objects.get(programme=programme, title="Jailbreak tests pass")
    url = f"/programmes/{programme.slug}/readiness/criteria/{jailbreak.pk}/waive/"
    too_late = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    for expires_on, error in (
        (too_late, "A waiver lasts at most 183 days"),
        ("2026-13-45", "Enter a valid date."),
        ("99999-01-01", "Enter a valid date."),
    ):
        response = client.post(url, {"reason": "Suite lands in Q1", "expires_on": expires_on})
        assert response.status_code == 400, expires_on
        form = _form(response.content.decode(), url)
        assert error in form, expires_on
        assert 'value="Suite lands in Q1"' in form
    missing = client.post(url, {"reason": "", "expires_on": ""})
    assert missing.status_code == 400
    assert "This field is required." in _form(missing.content.decode(), url)
    assert not Waiver.objects.exists()


def test_a_refused_sign_off_keeps_the_decision_and_shows_the_error_beside_the_comment(
    client, programme, users
):
    open_round(programme, users["programme_owner"])
    signoff = SignOff.objects.get(role="risk")
    client.logout()
    assert log_in(client, username="risk_owner", password=PASSWORD)
    url = f"/programmes/{programme.slug}/readiness/sign-offs/{signoff.pk}/sign/"
    response = client.post(url, {"decision": "rejected", "comment": "  "})
    assert response.status_code == 400
    form = _form(response.content.decode(), url)
    assert '<option value="rejected" selected>' in form
    assert "Say what must change before you would approve." in form
    bad = client.post(url, {"decision": "maybe", "comment": "Hmm"})
    assert bad.status_code == 400
    assert 'value="Hmm"' in _form(bad.content.decode(), url)
    assert SignOff.objects.get(pk=signoff.pk).decision == "pending"


def _earlier_rounds(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"<p class=\"muted\">Round (\d+): ", page)]


def test_earlier_rounds_come_a_page_at_a_time_in_the_same_queries(client, programme, users):
    url = f"/programmes/{programme.slug}/readiness/"
    for _ in range(3):
        open_round(programme, users["programme_owner"])
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert _earlier_rounds(page) == [2, 1]
    for _ in range(10):
        open_round(programme, users["programme_owner"])
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert _earlier_rounds(page) == [12, 11, 10, 9, 8]
    assert "12 earlier rounds; page 1 of 3." in page
    assert '?rounds=2#earlier-rounds" rel="next"' in page
    last = client.get(url, {"rounds": "3"}).content.decode()
    assert _earlier_rounds(last) == [2, 1]
    assert 'rel="next"' not in last
    assert _earlier_rounds(client.get(url, {"rounds": "nonsense"}).content.decode())[0] == 12
    assert "No rounds on this page." in client.get(url, {"rounds": "9"}).content.decode()
