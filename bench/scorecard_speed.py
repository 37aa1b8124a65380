"""Scorecard speed budget: a programme with 5 years of daily measurements on 10 metrics.

Prints, for the scorecard page and the metric API, the median time over several requests and the
number of SQL queries (which must not grow with the data). Runs on a throwaway test database of
the configured engine: `make bench`, or with DATABASE_URL set to measure PostgreSQL.
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# One log line per request would drown the figures.
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from programmes.models import Membership, Person, Programme, Role  # noqa: E402
from scorecards.models import Direction, Measurement, Metric, MetricKind  # noqa: E402

YEARS = 5
METRICS = 10
REPEATS = 7


def build() -> tuple[object, Programme, list[Metric]]:
    user = get_user_model().objects.create_user("bench", password="bench")  # noqa: S106
    owner = Person.objects.create(name="Bench Owner", email="bench@example.com", user=user)
    programme = Programme.objects.create(name="Benchmark", slug="benchmark", cost_envelope=5000)
    Membership.objects.create(programme=programme, user=user, role=Role.OWNER)
    today = timezone.localdate()
    days = 365 * YEARS
    kinds = [MetricKind.EVALUATION] * (METRICS - 2) + [
        MetricKind.COST_PER_TASK,
        MetricKind.TASK_VOLUME,
    ]
    metrics = []
    for index, kind in enumerate(kinds):
        lower = kind == MetricKind.COST_PER_TASK
        metrics.append(
            Metric.objects.create(
                programme=programme,
                name=f"Metric {index}",
                kind=kind,
                is_headline=index == 0,
                direction=Direction.LOWER if lower else Direction.HIGHER,
                baseline_value=Decimal(1 if lower else 50),
                baseline_date=today - dt.timedelta(days=days),
                target_value=Decimal("0.5" if lower else 90),
                target_date=today + dt.timedelta(days=90),
                regression_tolerance=Decimal(1),
                owner=owner,
            )
        )
    now = timezone.now()
    for metric in metrics:
        start = Decimal("0.9") if metric.direction == Direction.LOWER else Decimal(55)
        step = Decimal("-0.0002") if metric.direction == Direction.LOWER else Decimal("0.02")
        Measurement.objects.bulk_create(
            (
                Measurement(
                    metric=metric,
                    value=start + step * n,
                    measured_at=now - dt.timedelta(days=days - n, hours=1),
                    external_id=f"run-{n}",
                    model_version=f"v{n // 200}",
                )
                for n in range(days)
            ),
            batch_size=2000,
        )
    return user, programme, metrics


def measure(client: APIClient, label: str, url: str) -> None:
    timings = []
    queries = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    print(
        f"{label:<44} {statistics.median(timings):8.1f} ms median "
        f"{max(timings):8.1f} ms max  {queries:3d} queries  {len(response.content) // 1024:5d} KiB"
    )


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        user, _, metrics = build()
        rows = Measurement.objects.count()
        print(
            f"Keel scorecard benchmark on {connection.vendor}: {len(metrics)} metrics × "
            f"{rows // len(metrics)} daily measurements = {rows} rows "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        client = APIClient()
        client.force_login(user)  # type: ignore[arg-type]
        headline = metrics[0]
        measure(
            client,
            "page  /programmes/<slug>/scorecard/ (1 year)",
            "/programmes/benchmark/scorecard/",
        )
        measure(
            client,
            "page  …/scorecard/?range=all (5 years)",
            "/programmes/benchmark/scorecard/?range=all",
        )
        measure(
            client,
            "page  metric detail (1 year)",
            f"/programmes/benchmark/scorecard/metrics/{headline.pk}/",
        )
        measure(client, "api   GET /api/v1/metrics/<id>/", f"/api/v1/metrics/{headline.pk}/")
        measure(client, "api   GET /api/v1/metrics/", "/api/v1/metrics/")
        measure(
            client,
            "api   GET /api/v1/programmes/<slug>/metrics/",
            "/api/v1/programmes/benchmark/metrics/",
        )
        measure(
            client,
            "api   GET /api/v1/programmes/<slug>/scorecard/",
            "/api/v1/programmes/benchmark/scorecard/",
        )
        measure(
            client,
            "api   GET …/measurements/?since=<1 year ago>",
            f"/api/v1/metrics/{headline.pk}/measurements/?since="
            f"{(timezone.now() - dt.timedelta(days=365)).date().isoformat()}T00:00:00Z",
        )
        batch = [
            {"value": "80", "measured_at": timezone.now().isoformat(), "external_id": f"new-{n}"}
            for n in range(1000)
        ]
        for attempt in ("new", "repeat"):
            started = time.perf_counter()
            response = client.post(
                f"/api/v1/metrics/{headline.pk}/measurements/", batch, format="json"
            )
            elapsed = (time.perf_counter() - started) * 1000
            label = f"api   POST 1000 measurements ({attempt})"
            print(f"{label:<44} {elapsed:8.1f} ms  {response.json()}")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
