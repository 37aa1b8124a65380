"""Liveness and readiness probes for load balancers and orchestrators."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 2
log = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the process can answer at all."""
    return JsonResponse({"status": "ok"})


def _database_answers() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver failure means "not ready"
        # The details (hosts, ports) go to the log, not to an unauthenticated caller.
        log.warning("readiness: database unreachable", exc_info=error)
        return type(error).__name__
    return None


def _broker_answers() -> str | None:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
        ) as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as error:  # any transport failure means "not ready"
        log.warning("readiness: broker unreachable", exc_info=error)
        return type(error).__name__
    return None


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker both answer; 503 naming the one that did not."""
    failures = {
        name: error
        for name, error in (("database", _database_answers()), ("broker", _broker_answers()))
        if error is not None
    }
    if failures:
        return JsonResponse({"status": "unavailable", "failed": failures}, status=503)
    return JsonResponse({"status": "ok", "checked": ["database", "broker"]})
