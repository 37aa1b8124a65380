"""Celery tasks: thin wrappers that take ids and call the outbox and the scheduled jobs."""

from celery import Task, shared_task
from django.utils import timezone

from . import notifications
from .registry import jobs


# acks_late with reject_on_worker_lost: a worker killed mid-delivery leaves the message to be
# redelivered. That is safe only because delivery is idempotent: a row no longer queued is skipped.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_notification(self: Task, notification_id: int) -> None:
    wait = notifications.deliver(notification_id)
    if wait is not None:
        raise self.retry(countdown=wait, max_retries=None)


@shared_task(ignore_result=True)
def run_due_jobs() -> dict[str, int]:
    """The scheduler tick: every registered job (``programmes.registry.jobs``)."""
    return jobs.run_due_jobs(timezone.now())
