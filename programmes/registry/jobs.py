"""Scheduled jobs: each app's ``jobs.py`` marks its jobs with ``@scheduled_job``; the scheduler
tick (``programmes.tasks.run_due_jobs``) runs them all.

A job takes the tick's time and returns how many notifications (or rows) it wrote. Jobs run in
the order of ``INSTALLED_APPS``, then in the order they are defined in their module (so a job
that prepares rows for the next one comes first). Every job is idempotent: a second tick, or two
beats, write nothing twice.
"""

import datetime as dt
import logging
from collections.abc import Callable

from programmes.job_runs import timed_job_run

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


def run_due_jobs(now: dt.datetime) -> dict[str, int]:
    """Run every registered job for ``now``; returns what each wrote (-1 for a job that failed).
    One job failing does not keep the others from running; each run is timed for ``/metrics``."""
    results = {}
    for name, job in registered_jobs():
        with timed_job_run(name) as run:
            try:
                results[name] = job(now)
            except Exception:
                log.exception("scheduled job %s failed", name)
                results[name] = -1
                run.failed()
    return results
