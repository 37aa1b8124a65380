"""Celery tasks: thin wrappers that take ids and call the outbox and reminder services."""

from celery import Task, shared_task
from django.utils import timezone

from . import notifications, reminders
from .job_runs import timed_job_run


# acks_late with reject_on_worker_lost: a worker killed mid-delivery leaves the message to be
# redelivered. That is safe only because delivery is idempotent: a row no longer queued is skipped.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_notification(self: Task, notification_id: int) -> None:
    wait = notifications.deliver(notification_id)
    if wait is not None:
        raise self.retry(countdown=wait, max_retries=None)


@shared_task(ignore_result=True)
def run_due_reminders() -> dict[str, int]:
    return reminders.run_due_reminders(timezone.now())


@shared_task(ignore_result=True)
def requeue_stalled_notifications() -> int:
    with timed_job_run("requeue_stalled_notifications"):
        return notifications.requeue_stalled(timezone.now())
