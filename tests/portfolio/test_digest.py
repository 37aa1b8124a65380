"""The Monday digest: to each leader at 08:00 in their zone, built from the dashboard's rows so
its programmes and reasons are the dashboard's "needs attention" at the same instant."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client

from incidents.models import Incident, Severity
from portfolio.jobs import send_portfolio_digest
from portfolio.models import DigestPreference
from programmes.models import Channel, Notification, Stage
from programmes.selectors import LEADERSHIP_GROUP
from tests.conftest import api_client_for
from tests.factories import MetricFactory, PersonFactory, ProgrammeFactory, UserFactory, measure

pytestmark = pytest.mark.django_db


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def leader_in(zone: str, username: str) -> object:
    leadership, _ = Group.objects.get_or_create(name=LEADERSHIP_GROUP)
    user = UserFactory(username=username)
    user.groups.add(leadership)
    PersonFactory(user=user, timezone=zone)
    return user


def healthy_programme(name: str, now: dt.datetime) -> None:
    programme = ProgrammeFactory(name=name, stage=Stage.PAUSED)
    metric = MetricFactory(
        programme=programme,
        baseline_date=now.date() - dt.timedelta(days=100),
        target_date=now.date() + dt.timedelta(days=100),
    )
    measure(metric, 85, start=now - dt.timedelta(days=1))


def test_the_digest_reaches_each_leader_at_eight_on_monday_in_their_zone_across_dst():
    leader_in("Europe/London", "london")
    leader_in("America/New_York", "newyork")
    ProgrammeFactory(name="Claims triage", stage=Stage.PILOT)
    # 9 March 2026: New York is on summer time (since the 8th), London not yet.
    assert send_portfolio_digest(at(2026, 3, 9, 7, 59)) == 0
    assert send_portfolio_digest(at(2026, 3, 9, 8, 0)) == 2  # London: inbox and email
    assert send_portfolio_digest(at(2026, 3, 9, 11, 59)) == 0  # 07:59 in New York (EDT)
    assert send_portfolio_digest(at(2026, 3, 9, 12, 0)) == 2
    assert send_portfolio_digest(at(2026, 3, 9, 12, 15)) == 0  # once a week
    assert send_portfolio_digest(at(2026, 3, 10, 9, 0)) == 0


def test_the_digest_names_what_the_dashboard_says_needs_attention_at_the_same_instant():
    leader = leader_in("Europe/London", "lena")
    monday = at(2026, 11, 23, 8, 0)
    with time_machine.travel(monday, tick=False):
        healthy_programme("Fraud summaries", monday)
        ProgrammeFactory(name="Silent pilot", stage=Stage.PILOT)
        copilot = ProgrammeFactory(name="Support copilot", stage=Stage.PRODUCTION)
        Incident.objects.create(
            programme=copilot, title="Wrong refunds", severity=Severity.SEV1, opened_at=monday
        )
        client = Client()
        client.force_login(leader)
        on_screen = client.get("/?attention=on").content.decode()
        assert send_portfolio_digest(monday) == 2
    body = Notification.objects.get(channel=Channel.EMAIL).body
    section = body.split("Needs attention (2), worst first:\n")[1].split("\n\n")[0]
    assert section.splitlines() == [
        "• Support copilot: in production without a valid sign-off: no readiness review; "
        "1 open SEV1/SEV2 incident; headline not reported; on-call gap in the next 7 days",
        "• Silent pilot: headline not reported; on-call gap in the next 7 days",
    ]
    for line in section.splitlines():
        name, reason = line[2:].split(": ", 1)
        assert name in on_screen
        for part in reason.split("; "):
            assert part in on_screen
    assert "Fraud summaries" not in section
    assert "Wrong refunds" in body.split("What changed since")[1]


def test_a_leader_who_chose_only_when_needed_hears_nothing_in_a_quiet_week():
    quiet = leader_in("Europe/London", "quiet")
    DigestPreference.objects.create(person=quiet.person, only_when_attention=True)
    leader_in("Europe/London", "always")
    monday = at(2026, 11, 23, 8, 0)
    with time_machine.travel(monday, tick=False):
        healthy_programme("Fraud summaries", monday)
        assert send_portfolio_digest(monday) == 2  # only "always": inbox and email
    assert set(Notification.objects.values_list("recipient__user__username", flat=True)) == {
        "always"
    }
    next_monday = monday + dt.timedelta(days=7)
    with time_machine.travel(next_monday, tick=False):
        ProgrammeFactory(name="Silent pilot", stage=Stage.PILOT)
        assert send_portfolio_digest(next_monday) == 4


def test_a_leader_chooses_on_the_dashboard(db: object):
    leader = leader_in("Europe/London", "lena")
    client = Client()
    client.force_login(leader)
    assert "only when something needs attention" in client.get("/").content.decode()
    client.post("/portfolio/digest/", {"only_when_attention": "on"})
    assert DigestPreference.objects.get(person__user=leader).only_when_attention is True
    viewer = UserFactory(username="vera")
    PersonFactory(user=viewer)
    client.force_login(viewer)
    assert "only when something needs attention" not in client.get("/").content.decode()
    assert client.post("/portfolio/digest/", {"only_when_attention": "on"}).status_code == 403


def test_a_leader_chooses_through_the_api_and_reaches_only_their_own_choice(db: object):
    leader = leader_in("Europe/London", "lena")
    other = leader_in("Europe/London", "otto")
    DigestPreference.objects.create(person=other.person, only_when_attention=True)
    api = api_client_for(leader)
    url = "/api/v1/portfolio/digest-preference/"
    assert api.get(url).json() == {"only_when_attention": False}
    answer = api.put(url, {"only_when_attention": True}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"only_when_attention": True}
    assert DigestPreference.objects.get(person__user=leader).only_when_attention is True
    for bad in ({}, {"only_when_attention": "perhaps"}, {"only_when_attention": None}):
        refused = api.put(url, bad, format="json")
        assert refused.status_code == 400
        assert "only_when_attention" in refused.json()
    assert DigestPreference.objects.get(person__user=leader).only_when_attention is True
    # Another leader's choice is theirs: nothing in the API names a person.
    api.put(url, {"only_when_attention": False}, format="json")
    assert DigestPreference.objects.get(person__user=other).only_when_attention is True
    viewer = UserFactory(username="vera")
    PersonFactory(user=viewer)
    assert api_client_for(viewer).get(url).status_code == 403
    assert (
        api_client_for(viewer).put(url, {"only_when_attention": True}, format="json").status_code
        == 403
    )
    assert not DigestPreference.objects.filter(person__user=viewer).exists()
