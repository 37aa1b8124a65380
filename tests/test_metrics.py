"""/metrics in Prometheus' text format: parsed with prometheus_client's own parser, its figures
move as Keel works, it answers only allowed scrapers, and several gunicorn workers add up."""

import datetime as dt
import time

import httpx
import pytest
import time_machine
from django.core import mail
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from incidents.models import Incident
from programmes.models import Channel
from programmes.notification_kinds import REGRESSION_WORK
from programmes.notifications import deliver, notify
from programmes.registry.jobs import run_due_jobs
from tests.factories import PersonFactory
from tests.servers import running_web_server

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def scrape(client: Client | None = None, **headers: str) -> dict[tuple[str, tuple], float]:
    response = (client or Client()).get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return samples(response.content.decode())


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def notifications(figures, status: str, kind: str, channel: str) -> float:
    key = ("keel_notifications", (("channel", channel), ("kind", kind), ("status", status)))
    return figures.get(key, 0)


def test_figures_move_when_a_notification_is_sent(programme):
    with time_machine.travel(NOW, tick=False):
        rows = notify(
            recipient=PersonFactory(email="tess@example.com"),
            programme=programme,
            kind=REGRESSION_WORK,
            occurrence="regression-work:metrics",
            subject="Regression work is due",
            body="Re-run the golden set.",
        )
    email = next(row for row in rows if row.channel == Channel.EMAIL)

    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        before = scrape()
    assert notifications(before, "queued", "regression_work", "email") == 1
    assert notifications(before, "sent", "regression_work", "email") == 0
    assert notifications(before, "sent", "regression_work", "in_app") == 1
    assert before[("keel_notification_oldest_queued_age_seconds", ())] == 180

    assert deliver(email.pk) is None
    assert len(mail.outbox) == 1

    after = scrape()
    assert notifications(after, "queued", "regression_work", "email") == 0
    assert notifications(after, "sent", "regression_work", "email") == 1
    assert after[("keel_notification_oldest_queued_age_seconds", ())] == 0


def test_requests_are_counted_and_timed_by_view(owner):
    client = Client()
    client.force_login(owner)
    key = ("keel_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "healthz")))
    before = scrape().get(key, 0)
    for _ in range(3):
        client.get("/healthz")
    client.get("/no/such/page/")

    figures = scrape()

    assert figures[key] == before + 3
    unmatched = (
        "keel_http_requests_total",
        (("method", "GET"), ("status", "404"), ("view", "unmatched")),
    )
    assert figures[unmatched] >= 1
    assert figures[("keel_http_request_duration_seconds_count", (("view", "healthz"),))] >= 3


def test_jobs_report_when_they_last_ran_and_for_how_long():
    with time_machine.travel(NOW, tick=False):
        run_due_jobs(NOW)
    figures = scrape()
    job = (("job", "remind_regression_work"),)
    assert figures[("keel_job_last_run_timestamp_seconds", job)] == NOW.timestamp()
    assert figures[("keel_job_last_run_duration_seconds", job)] >= 0
    assert figures[("keel_job_last_run_succeeded", job)] == 1


def test_open_incidents_are_counted_by_severity(programme):
    for severity, status in (("sev1", "triggered"), ("sev1", "acknowledged"), ("sev3", "resolved")):
        Incident.objects.create(
            programme=programme, title="Down", severity=severity, status=status, opened_at=NOW
        )
    figures = scrape()
    assert figures[("keel_incidents_open", (("severity", "sev1"),))] == 2
    assert figures[("keel_incidents_open", (("severity", "sev3"),))] == 0


def test_only_the_internal_network_may_scrape_without_a_token():
    assert Client(REMOTE_ADDR="203.0.113.7").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200


def test_with_a_token_a_scraper_must_send_it(settings):
    settings.KEEL_METRICS_TOKEN = "s3cret-scrape-token"
    assert Client().get("/metrics").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    outside = Client(REMOTE_ADDR="203.0.113.7")
    ok = outside.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200


@pytest.mark.django_db(transaction=True)
def settled_count(web, key):
    """The counter once both workers are up and no start-up probe is still in flight: a probe
    that timed out on the client while a worker booted is counted when the worker serves it."""
    deadline = time.monotonic() + 30
    while web.log().count("Booting worker") < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    previous = None
    while time.monotonic() < deadline:
        current = samples(httpx.get(f"{web.url}/metrics").text)[key]
        if current == previous:
            return current
        previous = current
        time.sleep(1)
    return previous


def test_several_gunicorn_workers_report_one_total(tmp_path):
    key = ("keel_http_requests_total", (("method", "GET"), ("status", "200"), ("view", "healthz")))
    with running_web_server(tmp_path, env={}, workers=2) as web:
        before = settled_count(web, key)  # start-up probes
        for _ in range(20):
            httpx.get(f"{web.url}/healthz", headers={"Connection": "close"}, timeout=10)
        scrapes = [
            samples(httpx.get(f"{web.url}/metrics", headers={"Connection": "close"}).text)
            for _ in range(4)
        ]
        pids = {
            line.split("pid: ")[1].split()[0]
            for line in web.log().splitlines()
            if "Booting worker" in line
        }
    assert len(pids) == 2
    # Whichever worker answers the scrape, it counts the requests both workers served.
    assert [figures[key] for figures in scrapes] == [before + 20] * 4
