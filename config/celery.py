"""The Celery app that ``celery -A config worker`` and ``celery -A config beat`` start from, and
the one list of periodic jobs."""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("keel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job runs on the scheduler tick (KEEL_SCHEDULER_TICK_SECONDS). Each is idempotent,
# so a second beat, a late tick or a repeated run sends nothing twice.
PERIODIC_JOBS = {
    "due-reminders": "programmes.tasks.run_due_reminders",
    "requeue-stalled-notifications": "programmes.tasks.requeue_stalled_notifications",
}


@app.on_after_configure.connect
def schedule_periodic_jobs(sender: Celery, **kwargs: Any) -> None:
    from django.conf import settings

    for name, task in PERIODIC_JOBS.items():
        sender.add_periodic_task(
            settings.KEEL_SCHEDULER_TICK_SECONDS, sender.signature(task), name=name
        )
