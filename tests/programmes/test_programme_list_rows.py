"""The programme list API writes its page from plain rows: each entry must be exactly what the
programme's own URL answers, for every kind of caller, in the caller's time zone."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from programmes.models import Membership, Role, Stage
from tests.conftest import api_client_for, leadership_user
from tests.factories import PersonFactory, ProgrammeFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio():
    people = PersonFactory.create_batch(3)
    full = ProgrammeFactory(
        name="Claims triage",
        slug="claims-triage",
        summary="Routes claims.",
        stage=Stage.PRODUCTION,
        executive_sponsor=people[0],
        programme_owner=people[1],
        oncall_lead=people[2],
        review_weekday=4,
        review_time="16:30",
        review_timezone="America/New_York",
        regression_day=28,
        cost_envelope=Decimal("12500.5"),
        cost_currency="USD",
        slack_webhook_url="https://hooks.slack.com/services/T000/B000/abcdefgh",
    )
    bare = ProgrammeFactory(name="Fraud summaries", slug="fraud-summaries", stage=Stage.PAUSED)
    third = ProgrammeFactory(name="Letters", slug="letters", technical_owner=people[0])
    return full, bare, third


def client_of(user, zone):
    """A signed-in client: pages and the API show times in the person's own zone."""
    PersonFactory(user=user, timezone=zone)
    client = APIClient()
    client.force_login(user)
    return client


def test_each_entry_of_the_list_is_what_the_programme_answers_for_every_caller(portfolio):
    full, bare, third = portfolio
    owner = member(full, Role.OWNER, username="olivia")
    Membership.objects.create(programme=bare, user=owner, role=Role.VIEWER)
    Membership.objects.create(programme=third, user=owner, role=Role.EDITOR)
    clients = {
        "leader in Adelaide": client_of(leadership_user(username="lena"), "Australia/Adelaide"),
        "owner, viewer and editor": client_of(owner, "America/New_York"),
        "staff in UTC": client_of(UserFactory(username="stella", is_staff=True), "UTC"),
        "owner by token": api_client_for(owner),
    }
    for who, client in clients.items():
        listed = client.get("/api/v1/programmes/")
        assert listed.status_code == 200, who
        entries = listed.json()["results"]
        assert entries, who
        for entry in entries:
            detail = client.get(f"/api/v1/programmes/{entry['slug']}/")
            assert entry == detail.json(), (who, entry["slug"])


def test_the_list_shows_the_owners_access_and_times_of_the_page(portfolio):
    full, _, _ = portfolio
    owner = member(full, Role.OWNER, username="olivia")
    entry = client_of(owner, "America/New_York").get("/api/v1/programmes/").json()["results"][0]
    assert entry["url"] == "http://testserver/api/v1/programmes/claims-triage/"
    assert entry["executive_sponsor"] == {
        "id": full.executive_sponsor.pk,
        "name": full.executive_sponsor.name,
        "email": full.executive_sponsor.email,
    }
    assert entry["delivery_lead"] is None
    assert entry["stage_label"] == "Production"
    assert entry["review_weekday_label"] == "Friday"
    assert entry["review_time"] == "16:30:00"
    assert entry["cost_envelope"] == "12500.50"
    assert entry["slack_webhook"] == "hooks.slack.com/…efgh"
    assert "slack_webhook_url" not in entry
    assert entry["your_role"] == Role.OWNER
    assert entry["your_access"] == {
        "can_view": True,
        "can_edit": True,
        "can_transition": True,
        "can_manage_members": True,
    }
    assert entry["created_at"].endswith(("-05:00", "-04:00"))
