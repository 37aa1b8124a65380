"""``/metrics`` in Prometheus' text format: requests by view, counted in every web process, and
figures read from the database when scraped (notifications, scheduled jobs, open incidents), so
any process answers for the whole installation."""

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from config.login_throttle import client_address
from incidents.models import Incident, IncidentStatus
from programmes.models import Channel, JobRun, Notification, NotificationStatus

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Under gunicorn, config/gunicorn.py points every worker at one directory of counter files.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUEST_METRICS = CollectorRegistry()
REQUESTS = Counter(
    "keel_http_requests",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
    registry=REQUEST_METRICS,
)
REQUEST_SECONDS = Histogram(
    "keel_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    registry=REQUEST_METRICS,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class RequestMetricsMiddleware:
    """Counts and times every request under its view's name (never its path: ids would make a
    series per object)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        REQUESTS.labels(view=view, method=request.method or "", status=response.status_code).inc()
        REQUEST_SECONDS.labels(view=view).observe(time.perf_counter() - started)
        return response


class DatabaseFigures(Collector):
    """Gauges computed from the database at scrape time: the same from every process."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        by_status = GaugeMetricFamily(
            "keel_notifications",
            "Notifications in the outbox, by status, kind and channel.",
            labels=["status", "kind", "channel"],
        )
        rows = Notification.objects.values("status", "kind", "channel").annotate(count=Count("id"))
        for row in rows.order_by("status", "kind", "channel"):
            by_status.add_metric([row["status"], row["kind"], row["channel"]], row["count"])
        yield by_status

        oldest = (
            Notification.objects.filter(status=NotificationStatus.QUEUED)
            .exclude(channel=Channel.IN_APP)
            .aggregate(oldest=Min("created_at"))["oldest"]
        )
        yield GaugeMetricFamily(
            "keel_notification_oldest_queued_age_seconds",
            "Age of the oldest email or Slack message still waiting to be sent (0: none).",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0,
        )

        last_run = GaugeMetricFamily(
            "keel_job_last_run_timestamp_seconds",
            "When each scheduled job last started (Unix time).",
            labels=["job"],
        )
        duration = GaugeMetricFamily(
            "keel_job_last_run_duration_seconds",
            "How long each scheduled job's last run took.",
            labels=["job"],
        )
        succeeded = GaugeMetricFamily(
            "keel_job_last_run_succeeded",
            "1 when the job's last run worked, else 0.",
            labels=["job"],
        )
        for run in JobRun.objects.order_by("job"):
            last_run.add_metric([run.job], run.started_at.timestamp())
            duration.add_metric([run.job], run.duration_seconds)
            succeeded.add_metric([run.job], 1 if run.succeeded else 0)
        yield from (last_run, duration, succeeded)

        open_incidents = GaugeMetricFamily(
            "keel_incidents_open", "Incidents not yet resolved, by severity.", labels=["severity"]
        )
        counts = dict(
            Incident.objects.exclude(status=IncidentStatus.RESOLVED)
            .values_list("severity")
            .annotate(count=Count("id"))
            .values_list("severity", "count")
        )
        for severity in sorted({*counts, "sev1", "sev2", "sev3", "sev4"}):
            open_incidents.add_metric([severity], counts.get(severity, 0))
        yield open_incidents


def may_scrape(request: HttpRequest) -> bool:
    """With ``KEEL_METRICS_TOKEN`` set, a scraper sends it as a bearer token; without, only
    clients in ``KEEL_METRICS_ALLOWED_NETWORKS`` may scrape."""
    token = settings.KEEL_METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "")
        return hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.KEEL_METRICS_ALLOWED_NETWORKS
    )


def metrics(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        return HttpResponse(
            "Scraping needs the metrics bearer token or an allowed address.\n",
            status=403,
            content_type="text/plain",
        )
    registry = CollectorRegistry()
    registry.register(DatabaseFigures())
    if MULTIPROCESS:
        MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REQUEST_METRICS) + generate_latest(registry)
    return HttpResponse(body, content_type=CONTENT_TYPE)
