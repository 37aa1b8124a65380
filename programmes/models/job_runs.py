"""The last run of each scheduled job, for ``/metrics``, and the lease a job holds while a worker
runs it."""

from django.db import models


class JobRun(models.Model):
    """The last run of one scheduled job: when it started, how long it took, whether it worked.
    Written by the worker on every tick; read by ``/metrics``."""

    job = models.CharField(max_length=80, unique=True)
    started_at = models.DateTimeField()
    duration_seconds = models.FloatField()
    succeeded = models.BooleanField()

    class Meta:
        ordering = ["job"]

    def __str__(self) -> str:
        outcome = "ok" if self.succeeded else "failed"
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M:%S} ({outcome})"


class JobLease(models.Model):
    """A scheduled job running on a worker, until when at most: the tick does not start the job
    again while it runs. A worker killed mid-run leaves a lease that simply runs out."""

    job = models.CharField(max_length=80, unique=True)
    held_until = models.DateTimeField()

    class Meta:
        ordering = ["job"]

    def __str__(self) -> str:
        return f"{self.job} until {self.held_until:%Y-%m-%d %H:%M:%S}"
