"""The Celery app that ``celery -A config worker`` and ``celery -A config beat`` start from.

Periodic jobs are listed here, in one place, as they are added.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("keel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {}
