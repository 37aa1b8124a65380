"""Delivery through a real Celery worker on the real broker: once, whatever happens."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from programmes.models import (
    Channel,
    DeliveryAttempt,
    Notification,
    NotificationStatus,
)
from programmes.notification_kinds import OWNERSHIP_GAP, REGRESSION_WORK
from programmes.notifications import notify, requeue_stalled
from programmes.registry.jobs import run_due_jobs
from tests.factories import PersonFactory, ProgrammeFactory
from tests.slack_stub import running_slack_stub

from .conftest import emails_sent, wait_for

pytestmark = pytest.mark.celery

REGRESSION_DAY_MORNING = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


def status_of(row: Notification) -> str:
    row.refresh_from_db()
    return row.status


def programme_due_for_regression_work(**kwargs):
    person = PersonFactory(email="tess@example.com")
    return ProgrammeFactory(
        programme_owner=person,
        technical_owner=person,
        executive_sponsor=person,
        oncall_lead=person,
        review_timezone="Europe/London",
        regression_day=3,
        **kwargs,
    )


def test_the_reminder_job_run_twice_sends_one_email(celery_worker, tmp_path):
    programme_due_for_regression_work()
    with time_machine.travel(REGRESSION_DAY_MORNING, tick=False):
        run_due_jobs(REGRESSION_DAY_MORNING)
        run_due_jobs(REGRESSION_DAY_MORNING)
    email = Notification.objects.get(channel=Channel.EMAIL)
    wait_for(lambda: status_of(email) == NotificationStatus.SENT, message="the email to be sent")
    # Any duplicate task would have had time to run by now.
    celery_worker_settle()
    messages = emails_sent(tmp_path / "mail")
    assert len(messages) == 1
    assert "regression work is due" in messages[0]
    assert Notification.objects.filter(kind=REGRESSION_WORK).count() == 2


def test_two_ticks_at_once_write_and_send_one_message(celery_worker, tmp_path):
    programme_due_for_regression_work()
    start = threading.Barrier(2)
    results = []

    def tick() -> None:
        try:
            start.wait()
            results.append(run_due_jobs(REGRESSION_DAY_MORNING))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    written = sorted(result["remind_regression_work"] for result in results)
    assert written == [0, 2]
    email = Notification.objects.get(channel=Channel.EMAIL)
    wait_for(lambda: status_of(email) == NotificationStatus.SENT, message="the email to be sent")
    celery_worker_settle()
    assert len(emails_sent(tmp_path / "mail")) == 1


def test_slack_failing_twice_then_succeeding_is_sent_once_with_three_attempts(celery_worker):
    with running_slack_stub(script=[500, 503, 200]) as slack:
        programme = ProgrammeFactory(slack_webhook_url=slack.url)
        rows = notify(
            recipient=PersonFactory(),
            programme=programme,
            kind=REGRESSION_WORK,
            occurrence="flaky-slack",
            subject="Regression work is due",
            body="Re-run the golden set.",
        )
        row = next(row for row in rows if row.channel == Channel.SLACK)
        wait_for(lambda: status_of(row) == NotificationStatus.SENT, message="Slack delivery")
        celery_worker_settle()
    assert row.attempts == 3
    assert slack.answered == [500, 503, 200]
    assert DeliveryAttempt.objects.filter(notification=row, succeeded=True).count() == 1


def test_a_worker_killed_during_delivery_delivers_once_after_restart(celery_worker):
    with running_slack_stub(hold_first=True) as slack:
        programme = ProgrammeFactory(slack_webhook_url=slack.url)
        rows = notify(
            recipient=PersonFactory(),
            programme=programme,
            kind=OWNERSHIP_GAP,
            occurrence="killed-mid-delivery",
            subject="Name an on-call lead",
            body="Nobody is named.",
        )
        row = next(row for row in rows if row.channel == Channel.SLACK)
        assert slack.first_arrived.wait(timeout=30), "the worker never started delivering"

        celery_worker.kill()
        slack.release.set()
        assert status_of(row) == NotificationStatus.QUEUED  # the killed attempt left nothing

        celery_worker.start()
        # Beat's stall sweep hands the row to the new worker; the broker also redelivers the
        # killed worker's unacknowledged message once its visibility timeout passes.
        later = timezone.now() + dt.timedelta(hours=1)
        wait_for(lambda: requeue_stalled(later) or status_of(row) != NotificationStatus.QUEUED)
        wait_for(lambda: status_of(row) == NotificationStatus.SENT, message="redelivery")
        celery_worker_settle(seconds=12)  # past the visibility timeout and a restore cycle
    assert len(slack.received) == 2  # the interrupted try and the one that worked
    assert slack.answered[-1] == 200
    assert row.attempts == 1
    assert DeliveryAttempt.objects.filter(notification=row).count() == 1


def celery_worker_settle(seconds: float = 1.5) -> None:
    """Give any stray duplicate task the time it would need to show itself."""
    threading.Event().wait(seconds)
