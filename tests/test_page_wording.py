"""Wording on pages: no doubled phrases, empty lists that are not numbered, a message after each
save."""

import re

import pytest
from django.test import Client

from incidents import services as incidents
from incidents.models import Severity, TimelineEntry
from programmes.selectors import get_programme_for_user
from tests.factories import MetricFactory

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ordered_lists(html: str) -> list[str]:
    return re.findall(r"<ol[^>]*>.*?</ol>", html, re.S)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("standard", "Serious incident (15 days to report)."),
        ("death", "Serious incident: death of a person (10 days to report)."),
    ],
)
def test_a_serious_incident_names_its_kind_once(owner, programme, kind, expected):
    access = get_programme_for_user(owner, programme.slug)[1]
    incident = incidents.open_incident(
        actor=owner,
        programme=programme,
        access=access,
        title="Wrong advice",
        severity=Severity.SEV2,
    )
    incidents.mark_serious(actor=owner, incident=incident, access=access, kind=kind)
    html = _signed_in(owner).get(incident.get_absolute_url()).content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert expected in text
    assert "Serious incident (Serious incident" not in text
    entry = TimelineEntry.objects.get(incident=incident, kind="serious")
    assert entry.text.startswith("Marked serious" + expected.removeprefix("Serious incident")[:-1])


def test_empty_histories_are_not_numbered_lists(owner, programme):
    metric = MetricFactory(programme=programme)
    client = _signed_in(owner)
    overview = client.get(f"/programmes/{programme.slug}/").content.decode()
    metric_page = client.get(metric.get_absolute_url()).content.decode()
    for html, empty in [
        (overview, "No stage changes yet."),
        (metric_page, "No assessments yet."),
        (metric_page, "No regressions."),
    ]:
        assert empty in html
        assert not any(empty in ordered for ordered in _ordered_lists(html))


def test_saving_a_new_runbook_says_so(owner, programme):
    response = _signed_in(owner).post(
        f"/programmes/{programme.slug}/runbooks/",
        {"title": "Routing errors", "body": "1. Check the queue."},
        follow=True,
    )
    assert response.status_code == 200
    assert "Runbook “Routing errors” saved." in response.content.decode()
