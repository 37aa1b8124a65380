"""The last run of each scheduled job, for ``/metrics``."""

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
