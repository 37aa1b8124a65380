"""Leadership dashboard speed: 1,000 programmes (and 10,000 with BENCH_PROGRAMMES=10000).

Prints the time and query count of `/`, of `GET /api/v1/portfolio/` and of the CSV export (the
median of BENCH_REPEATS requests, 5 by default), each
beside the raw SQL that fetches the same rows (the very queries the request ran, replayed on a
cursor without the ORM, the facts or the template) and the ratio of the two; the target is at
most 3×. Runs on a throwaway test database of the configured engine: `make bench`, or with
DATABASE_URL set to measure PostgreSQL.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# One log line per request would drown the figures.
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from rest_framework.test import APIClient  # noqa: E402

from programmes.selectors import LEADERSHIP_GROUP  # noqa: E402
from tests.portfolio.generated import generate  # noqa: E402

PROGRAMMES = int(os.environ.get("BENCH_PROGRAMMES", "1000"))
# Each figure is the median of this many requests.
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))


def raw_sql_ms(sqls: list[str]) -> float:
    """The time to run these statements on a plain cursor and fetch every row."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure(client: APIClient, label: str, url: str) -> None:
    timings, raw = [], []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        # Session and user lookups are the same for any page; the rest fetches the rows.
        sqls = [q["sql"] for q in captured.captured_queries]
        raw.append(raw_sql_ms(sqls))
    page, sql = statistics.median(timings), statistics.median(raw)
    print(
        f"{label:<40} {page:8.1f} ms  raw SQL {sql:7.1f} ms  {page / sql:5.1f}×  "
        f"{len(captured.captured_queries):3d} queries  {len(response.content) // 1024:5d} KiB"
    )


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        user = get_user_model().objects.create_user("bench", password="bench")  # noqa: S106
        user.groups.add(Group.objects.create(name=LEADERSHIP_GROUP))
        generate(PROGRAMMES, prefix="bench")
        print(
            f"Keel dashboard benchmark on {connection.vendor}: {PROGRAMMES:,} programmes, each "
            f"with a headline and six weeks of history, cost metrics, a rotation, an incident, "
            f"the default readiness criteria and a review round, weekly reviews and overdue "
            f"actions (built in {time.perf_counter() - started:.1f} s)"
        )
        client = APIClient()
        client.force_login(user)
        client.get("/")
        measure(client, "page  / (worst first, 100 a page)", "/")
        measure(client, "api   GET /api/v1/portfolio/", "/api/v1/portfolio/")
        measure(client, "csv   /portfolio/export.csv (all rows)", "/portfolio/export.csv")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
