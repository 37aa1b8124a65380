"""The programme list and bulk ingest at the size of a large organisation.

- `GET /api/v1/programmes/` (the first page, 50 programmes, and `?page_size=1000`) over 1,000
  generated programmes (`load_demo --programmes 1000`), as a leader sees it, beside the raw SQL
  that reads the same page: the rows, the count, and one query for the named owners. The goal:
  at most 3× the raw SQL.
- `POST /api/v1/metrics/<id>/measurements/` with 10,000 measurements, then the same 10,000
  again (which create nothing). The goal: at most 2 s.

Prints medians of several alternating runs. Runs on a throwaway test database of the configured
engine (DATABASE_URL).
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from programmes.management.commands.run_reminders import QueryCounter  # noqa: E402
from programmes.models import OWNER_FIELDS, Programme  # noqa: E402
from scorecards.models import Measurement, Metric  # noqa: E402

PROGRAMMES = 1_000
MEASUREMENTS = 10_000
RUNS = 7
INGEST_RUNS = 3


def raw_page(size: int) -> list[Any]:
    """The same page read with plain SQL: count, rows, and the owners in one query."""
    table = connection.ops.quote_name("programmes_programme")
    owner_columns = ", ".join(f"{field}_id" for field in OWNER_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our own table name
        cursor.fetchone()
        cursor.execute(
            f"SELECT id, name, slug, summary, business_unit, stage, review_weekday, "  # noqa: S608
            f"review_time, review_timezone, regression_day, cost_envelope, cost_currency, "
            f"slack_webhook_url, created_at, updated_at, {owner_columns} "
            f"FROM {table} ORDER BY name, id LIMIT %s",
            [size],
        )
        rows = cursor.fetchall()
        ids = sorted({pk for row in rows for pk in row[-len(OWNER_FIELDS) :] if pk is not None})
        cursor.execute(
            "SELECT id, name, email FROM programmes_person WHERE id = ANY(%s)"
            if connection.vendor == "postgresql"
            else f"SELECT id, name, email FROM programmes_person WHERE id IN "  # noqa: S608
            f"({', '.join(map(str, ids)) or 'NULL'})",
            [ids] if connection.vendor == "postgresql" else [],
        )
        return [rows, cursor.fetchall()]


def programme_list(client: APIClient) -> None:
    print(f"Programme list over {Programme.objects.count():,} programmes ({connection.vendor})")
    for size, url in ((50, "/api/v1/programmes/"), (1000, "/api/v1/programmes/?page_size=1000")):
        client.get(url)
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = client.get(url)
        assert response.status_code == 200
        keel_times, raw_times = [], []
        for _ in range(RUNS):  # alternating, so both see the same load
            started = time.perf_counter()
            client.get(url)
            keel_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            raw_page(size)
            raw_times.append((time.perf_counter() - started) * 1000)
        keel, raw = statistics.median(keel_times), statistics.median(raw_times)
        print(
            f"  GET {url:<38} {keel:7.1f} ms  {counter.count:2d} queries  "
            f"raw SQL {raw:6.1f} ms  ratio {keel / raw:4.1f}×  (goal ≤ 3×)"
        )


def ingest(client: APIClient) -> None:
    print(f"Ingest of {MEASUREMENTS:,} measurements in one request")
    programme = Programme.objects.filter(slug__startswith="gen-").first()
    assert programme is not None
    start = timezone.now() - dt.timedelta(days=60)
    batch = [
        {
            "value": f"{70 + (n % 200) / 10:.1f}",
            "measured_at": (start + dt.timedelta(minutes=5 * n)).isoformat(),
            "external_id": f"bench-run-{n}",
            "model_version": "bench-model-1",
        }
        for n in range(MEASUREMENTS)
    ]
    firsts, agains = [], []
    for run in range(INGEST_RUNS):
        metric = Metric.objects.create(
            programme=programme,
            name=f"Bench metric {run}",
            baseline_value=Decimal(70),
            baseline_date=start.date(),
            target_value=Decimal(90),
            target_date=(start + dt.timedelta(days=365)).date(),
        )
        url = f"/api/v1/metrics/{metric.pk}/measurements/"
        started = time.perf_counter()
        first = client.post(url, batch, format="json")
        firsts.append(time.perf_counter() - started)
        started = time.perf_counter()
        again = client.post(url, batch, format="json")
        agains.append(time.perf_counter() - started)
        assert first.status_code == 201, first.content[:200]
        assert first.json()["created"] == MEASUREMENTS
        assert again.json()["created"] == 0
        assert Measurement.objects.filter(metric=metric).count() == MEASUREMENTS
    print(
        f"  first POST (creates {MEASUREMENTS:,})   {statistics.median(firsts):6.2f} s  "
        f"(goal ≤ 2 s; median of {INGEST_RUNS})"
    )
    print(f"  same batch again (creates 0)  {statistics.median(agains):6.2f} s")


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("load_demo", programmes=PROGRAMMES, verbosity=0)
        user_model = get_user_model()
        client = APIClient()
        client.force_login(user_model.objects.get(username="leader"))
        programme_list(client)
        owner = APIClient()
        owner.force_login(user_model.objects.get(username="admin"))
        ingest(owner)
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
