"""The tick on a real worker queues each job as its own task: a job still running from an
earlier tick (its lease held) does not keep the others from running on this one."""

import datetime as dt

import pytest
from django.utils import timezone

from config.celery import app
from programmes.models import JobRun
from programmes.registry.jobs import registered_jobs, take_lease

from .conftest import wait_for

pytestmark = pytest.mark.celery

SLOW_JOB = "remind_gaps"


def test_a_job_still_running_holds_only_itself(celery_worker):
    now = timezone.now()
    assert take_lease(SLOW_JOB, now=now, until=now + dt.timedelta(hours=1))
    app.send_task("programmes.tasks.run_due_jobs")
    others = {name for name, _ in registered_jobs()} - {SLOW_JOB}
    wait_for(
        lambda: set(JobRun.objects.values_list("job", flat=True)) == others,
        message="every other job to record its run",
    )
    assert not JobRun.objects.filter(job=SLOW_JOB).exists()
