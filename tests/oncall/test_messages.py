"""Emails and Slack messages name the zone their times are in: the recipient's, on both sides of
a change of clocks."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from oncall import services
from oncall.jobs import prepare_handoffs, remind_shift_soon, remind_unacknowledged_handoffs
from oncall.notification_kinds import SHIFT_SOON
from programmes.models import Channel, Notification, Role
from programmes.notifications import deliver
from programmes.rules import access_for
from scorecards.jobs import remind_stale_headlines
from scorecards.notification_kinds import STALE_HEADLINE
from tests.factories import MetricFactory, PersonFactory, ProgrammeFactory, measure
from tests.slack_stub import running_slack_stub

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture(autouse=True)
def _local_webhooks_allowed(settings):
    settings.KEEL_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.KEEL_WEBHOOK_REQUIRE_HTTPS = False


@pytest.mark.parametrize(
    ("handoff_at", "rosa_reads", "nia_reads"),
    [
        # 09:00 in London before Europe changes clocks (New York already has)...
        (
            dt.datetime(2026, 3, 27, 9, tzinfo=UTC),
            "Fri 27 Mar 10:00 CET (Europe/Rome)",
            "Fri 27 Mar 05:00 EDT (America/New_York)",
        ),
        # ... and after: 09:00 BST is 08:00 UTC.
        (
            dt.datetime(2026, 3, 31, 8, tzinfo=UTC),
            "Tue 31 Mar 10:00 CEST (Europe/Rome)",
            "Tue 31 Mar 04:00 EDT (America/New_York)",
        ),
    ],
)
def test_reminders_by_email_and_slack_give_the_recipients_own_time_and_zone(
    handoff_at, rosa_reads, nia_reads
):
    rosa = PersonFactory(name="Rosa", timezone="Europe/Rome", email="rosa@example.com")
    nia = PersonFactory(name="Nia", timezone="America/New_York", slack_member_id="U0NIA")
    ana = PersonFactory(name="Ana")
    with running_slack_stub() as slack:
        programme = ProgrammeFactory(stage="pilot", oncall_lead=nia, slack_webhook_url=slack.url)
        with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
            services.create_rotation(
                actor=None,
                programme=programme,
                access=access_for(role=Role.OWNER, is_staff=False, is_leadership=False),
                name="Primary",
                start=dt.date(2026, 3, 2),
                member_ids=[ana.pk, rosa.pk],
                timezone_name="Europe/London",
                shift_kind="daily",
            )
        with time_machine.travel(handoff_at - dt.timedelta(minutes=30), tick=False):
            prepare_handoffs(timezone.now())
            remind_shift_soon(timezone.now())
        with time_machine.travel(handoff_at + dt.timedelta(minutes=31), tick=False):
            remind_unacknowledged_handoffs(timezone.now())
            for row in Notification.objects.exclude(channel=Channel.IN_APP):
                deliver(row.pk)
        posted = [payload["text"] for payload in slack.received]
    email = next(m for m in mail.outbox if m.to == ["rosa@example.com"])
    assert f"your shift starts at {rosa_reads}" in email.subject
    assert f"from {rosa_reads}." in email.body
    inbox = Notification.objects.get(recipient=rosa, kind=SHIFT_SOON, channel=Channel.IN_APP)
    assert rosa_reads in inbox.body
    assert len(posted) == 1
    assert posted[0].startswith("<@U0NIA> *Primary: Rosa has not acknowledged the handoff*")
    assert f"handoff at {nia_reads} to Rosa" in posted[0]


def test_a_stale_headline_reminder_gives_the_day_in_the_owners_zone():
    owner = PersonFactory(name="Mere", timezone="Pacific/Auckland")
    metric = MetricFactory(
        programme=ProgrammeFactory(stage="pilot"), owner=owner, staleness_days=14
    )
    # 20:00 UTC on Sunday 1 March is already Monday morning in Auckland.
    measure(metric, 80, start=dt.datetime(2026, 3, 1, 20, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=UTC), tick=False):
        remind_stale_headlines(timezone.now())
    row = Notification.objects.get(kind=STALE_HEADLINE, channel=Channel.IN_APP)
    assert "was last measured on Mon 2 Mar;" in row.body
