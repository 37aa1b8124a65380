"""Timing of scheduled jobs: each run leaves its start, duration and outcome in ``JobRun``."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone

from .models import JobRun


@dataclass
class RunningJob:
    succeeded: bool = True

    def failed(self) -> None:
        self.succeeded = False


@contextmanager
def timed_job_run(job: str) -> Iterator[RunningJob]:
    """Time the block as one run of ``job`` and record it, even when the block raises."""
    run = RunningJob()
    started_at = timezone.now()
    started = time.perf_counter()
    try:
        yield run
    except Exception:
        run.failed()
        raise
    finally:
        JobRun.objects.update_or_create(
            job=job,
            defaults={
                "started_at": started_at,
                "duration_seconds": time.perf_counter() - started,
                "succeeded": run.succeeded,
            },
        )
