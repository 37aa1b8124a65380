"""The Celery app that ``celery -A config worker`` and ``celery -A config beat`` start from, and
the scheduler tick. The jobs the tick runs are the registry's (``programmes.registry.jobs``):
each app marks its own with ``@scheduled_job``."""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("keel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def schedule_the_tick(sender: Celery, **kwargs: Any) -> None:
    """Every KEEL_SCHEDULER_TICK_SECONDS, beat queues one run of every scheduled job. Each job is
    idempotent, so a second beat, a late tick or a repeated run sends nothing twice."""
    from django.conf import settings

    sender.add_periodic_task(
        settings.KEEL_SCHEDULER_TICK_SECONDS,
        sender.signature("programmes.tasks.run_due_jobs"),
        name="scheduled-jobs",
    )
