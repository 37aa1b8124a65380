import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from programmes.models import (
    Channel,
    DeliveryAttempt,
    Notification,
    NotificationStatus,
)
from programmes.notification_kinds import REGRESSION_WORK
from programmes.notifications import deliver, notify, requeue_stalled
from programmes.tasks import deliver_notifications
from tests.factories import PersonFactory, ProgrammeFactory
from tests.slack_stub import running_slack_stub

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_webhooks_allowed(settings):
    settings.KEEL_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1", "hooks.slack.com"]
    settings.KEEL_WEBHOOK_REQUIRE_HTTPS = False
    settings.KEEL_NOTIFICATION_RETRY_BASE_SECONDS = 30
    settings.KEEL_NOTIFICATION_RETRY_CAP_SECONDS = 600


def queued(channel: str, *, webhook: str = "") -> Notification:
    programme = ProgrammeFactory(slack_webhook_url=webhook)
    rows = notify(
        recipient=PersonFactory(email="tess@example.com", slack_member_id="U0TESS"),
        programme=programme,
        kind=REGRESSION_WORK,
        occurrence=f"test:{programme.slug}",
        subject="Regression work is due",
        body="Re-run the golden set.",
        link=f"/programmes/{programme.slug}/",
    )
    return next(row for row in rows if row.channel == channel)


def test_an_email_is_sent_once_however_often_delivery_runs():
    row = queued(Channel.EMAIL)
    assert deliver(row.pk) is None
    assert deliver(row.pk) is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tess@example.com"]
    assert "http://127.0.0.1:8000/programmes/" in mail.outbox[0].body
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)


def test_slack_failing_twice_then_succeeding_is_sent_once_after_three_attempts():
    with running_slack_stub(script=[500, 503, 200]) as slack:
        row = queued(Channel.SLACK, webhook=slack.url)
        first_wait = deliver(row.pk)
        second_wait = deliver(row.pk)
        assert deliver(row.pk) is None
        assert deliver(row.pk) is None
    assert first_wait is not None
    assert 15 <= first_wait <= 30
    assert second_wait is not None
    assert 30 <= second_wait <= 60
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 3, "")
    assert slack.answered == [500, 503, 200]
    assert slack.received[0]["text"].startswith("<@U0TESS> *Regression work is due*")
    attempts = list(
        DeliveryAttempt.objects.filter(notification=row).values_list("succeeded", "status_code")
    )
    assert attempts == [(False, 500), (False, 503), (True, 200)]


def test_a_slack_refusal_fails_at_once_with_the_reason():
    with running_slack_stub(script=[404]) as slack:
        row = queued(Channel.SLACK, webhook=slack.url)
        assert deliver(row.pk) is None
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert row.last_error == "The webhook refused the message (404): server_error"


def test_a_rate_limited_webhook_is_retried_after_its_retry_after_within_the_cap(settings):
    settings.KEEL_NOTIFICATION_RETRY_CAP_SECONDS = 100
    with running_slack_stub(script=[429]) as slack:
        row = queued(Channel.SLACK, webhook=slack.url)
        wait = deliver(row.pk)
    assert wait is not None
    assert 15 <= wait <= 30
    row.refresh_from_db()
    assert row.status == NotificationStatus.QUEUED
    assert "429" in row.last_error


def test_after_the_last_attempt_a_notification_is_dead_and_says_why(settings):
    settings.KEEL_NOTIFICATION_MAX_ATTEMPTS = 2
    with running_slack_stub(script=[500, 500, 200]) as slack:
        row = queued(Channel.SLACK, webhook=slack.url)
        deliver(row.pk)
        assert deliver(row.pk) is None
        assert deliver(row.pk) is None
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.DEAD, 2)
    assert row.last_error.startswith("Gave up after 2 attempts.")
    assert len(slack.received) == 2


def test_a_webhook_taken_off_the_allow_list_is_not_posted_to(settings):
    with running_slack_stub() as slack:
        row = queued(Channel.SLACK, webhook=slack.url)
        settings.KEEL_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com"]
        deliver(row.pk)
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert "Keel does not post to “127.0.0.1”" in row.last_error
    assert slack.received == []


def test_an_unreachable_webhook_is_retried():
    row = queued(Channel.SLACK, webhook="http://127.0.0.1:9/hook")
    assert deliver(row.pk) is not None
    row.refresh_from_db()
    assert row.status == NotificationStatus.QUEUED
    assert row.last_error.startswith("Could not reach the webhook")


def test_stalled_deliveries_are_handed_to_celery_again(
    settings, django_capture_on_commit_callbacks
):
    settings.KEEL_NOTIFICATION_STALL_SECONDS = 300
    row = queued(Channel.EMAIL)
    now = timezone.now()
    with django_capture_on_commit_callbacks() as callbacks:
        assert requeue_stalled(now) == 0
        assert requeue_stalled(now + dt.timedelta(seconds=301)) == 1
    assert len(callbacks) == 1
    deliver(row.pk)
    assert requeue_stalled(now + dt.timedelta(hours=1)) == 0


def test_a_batch_of_deliveries_sends_each_row_once_and_leaves_a_failing_one_to_retry():
    programme = ProgrammeFactory(slack_webhook_url="http://127.0.0.1:9/hook")
    rows = [
        row
        for n in range(3)
        for row in notify(
            recipient=PersonFactory(email=f"person{n}@example.com"),
            programme=programme,
            kind=REGRESSION_WORK,
            occurrence="batch",
            subject="Regression work is due",
            body="Re-run the golden set.",
        )
    ]
    emails = [row for row in rows if row.channel == Channel.EMAIL]
    unreachable = next(row for row in rows if row.channel == Channel.SLACK)
    assert len(emails) == 3
    ids = [row.pk for row in emails] + [unreachable.pk]

    deliver_notifications(ids)
    deliver_notifications(ids)  # the broker handed the batch over twice

    assert len(mail.outbox) == 3
    for row in emails:
        row.refresh_from_db()
        assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
    unreachable.refresh_from_db()
    assert unreachable.status == NotificationStatus.QUEUED
    assert unreachable.attempts == 2
    assert unreachable.next_attempt_at > timezone.now()
    assert unreachable.last_error.startswith("Could not reach the webhook")
