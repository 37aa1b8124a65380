"""Scheduled jobs: each app's ``jobs.py`` marks its jobs with ``@scheduled_job``; the scheduler
tick (``programmes.tasks.run_due_jobs``) queues each of them as its own Celery task.

A job takes the tick's time and returns how many notifications (or rows) it wrote. Jobs run in
the order of ``INSTALLED_APPS``, then in the order they are defined in their module (so a job
that prepares rows for the next one comes first). Every job is idempotent: a second tick, or two
beats, write nothing twice.
"""

import datetime as dt
import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import Q

from programmes.job_runs import timed_job_run
from programmes.models import JobLease

from . import discover
from .keyed import KeyedRegistry

JobFunction = Callable[[dt.datetime], int]

log = logging.getLogger(__name__)
_jobs: KeyedRegistry[JobFunction] = KeyedRegistry("scheduled job")


def scheduled_job(job: JobFunction) -> JobFunction:
    """Register ``job`` under its function name (the name ``/metrics`` reports it by)."""
    return _jobs.add(job.__name__, job)


def registered_jobs() -> list[tuple[str, JobFunction]]:
    discover()
    return list(_jobs.entries.items())


def run_job(name: str, now: dt.datetime) -> int:
    """Run the job registered as ``name`` for ``now``, timed for ``/metrics``; returns what it
    wrote, or -1 when it failed (logged with its traceback) or no job has that name."""
    discover()
    job = _jobs.get(name)
    if job is None:
        log.error("no scheduled job is registered as %s", name)
        return -1
    with timed_job_run(name) as run, _collector_paused():
        try:
            return job(now)
        except Exception:
            log.exception("scheduled job %s failed", name)
            run.failed()
            return -1


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a job runs. A job reads thousands of rows into objects
    that all stay alive until it returns, and the collector would walk them again and again to
    free nothing: half the CPU of a 10,000-programme digest. What the job leaves behind is
    collected as usual once it returns."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_due_jobs(now: dt.datetime) -> dict[str, int]:
    """Run every registered job for ``now``, one after another in this process; returns what each
    wrote (-1 for a job that failed). One job failing does not keep the others from running."""
    return {name: run_job(name, now) for name, _ in registered_jobs()}


def take_lease(name: str, *, now: dt.datetime, until: dt.datetime) -> bool:
    """Take the job's lease until ``until`` unless a run holds it past ``now``: so a job slower
    than the tick is not started again beside itself (a worker killed mid-run lets its lease
    run out)."""
    taken = JobLease.objects.filter(Q(job=name) & Q(held_until__lte=now)).update(held_until=until)
    if taken:
        return True
    try:
        with transaction.atomic():
            JobLease.objects.create(job=name, held_until=until)
    except IntegrityError:  # held by a run in progress (or just taken by another worker)
        return False
    return True


def release_lease(name: str, *, now: dt.datetime) -> None:
    JobLease.objects.filter(job=name).update(held_until=now)
