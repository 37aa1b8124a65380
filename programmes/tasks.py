"""Celery tasks: thin wrappers that take ids and call the outbox and the scheduled jobs."""

import datetime as dt
import logging

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from . import notifications
from .registry import jobs

log = logging.getLogger(__name__)


# acks_late with reject_on_worker_lost: a worker killed mid-delivery leaves the message to be
# redelivered. That is safe only because delivery is idempotent: a row no longer queued is skipped.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_notification(self: Task, notification_id: int) -> None:
    wait = notifications.deliver(notification_id)
    if wait is not None:
        raise self.retry(countdown=wait, max_retries=None)


# The same acknowledgement late: a worker killed mid-batch leaves the whole batch to be
# redelivered, and the rows it had sent are skipped.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> None:
    """Deliver rows handed over together, each tried once in turn; a row to try again later
    goes back to the broker on its own task, with its wait. A row that cannot be tried (its
    database read failed) is logged and stays queued for the stall sweep; the others go on."""
    for notification_id in notification_ids:
        try:
            wait = notifications.deliver(notification_id)
        except Exception:
            log.exception(
                "delivery failed; notification left for the stall sweep",
                extra={"notification": notification_id},
            )
            continue
        if wait is not None:
            notifications.retry_later(notification_id, wait)


@shared_task(ignore_result=True)
def run_due_jobs() -> list[str]:
    """The scheduler tick: queues every registered job (``programmes.registry.jobs``) as its own
    task, so a slow or failing job holds only itself. A job's task not started within one tick
    expires: the next tick has queued a fresh one."""
    tick = settings.KEEL_SCHEDULER_TICK_SECONDS
    names = [name for name, _ in jobs.registered_jobs()]
    for name in names:
        run_scheduled_job.apply_async(args=(name,), expires=tick)
    return names


@shared_task(ignore_result=True)
def run_scheduled_job(name: str) -> int | None:
    """One scheduled job, for now. Skipped (None) while an earlier run of it still holds its
    lease; a run holds it for at most ``KEEL_SCHEDULER_JOB_LEASE_SECONDS``."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.KEEL_SCHEDULER_JOB_LEASE_SECONDS)
    if not jobs.take_lease(name, now=now, until=now + lease):
        return None
    try:
        return jobs.run_job(name, now)
    finally:
        jobs.release_lease(name, now=timezone.now())
