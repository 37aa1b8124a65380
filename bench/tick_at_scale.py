"""The scheduler tick at the size of a large organisation: `load_demo --programmes N` for
1,000 and then 10,000 programmes, and at each size

- the first tick, which writes every due notification and handoff row (run several times from
  the same loaded state: the rows it wrote are removed between runs), and
- the idempotent tick right after it, which finds everything written (the beat's every minute).

Prints the median seconds, the SQL queries and the notifications written, per tick and for the
jobs that cost most, and the ratios between the sizes: the idempotent tick's queries must be the
same at both sizes. Runs on a throwaway test database of the configured engine (DATABASE_URL).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

from oncall.models import Handoff, RotationCheck  # noqa: E402
from programmes.management.commands.run_reminders import QueryCounter  # noqa: E402
from programmes.models import JobLease, JobRun, Notification  # noqa: E402
from programmes.registry.jobs import registered_jobs, run_job  # noqa: E402

SIZES = (1_000, 10_000)
FIRST_RUNS = 3
IDEMPOTENT_RUNS = 5


def tick(now: dt.datetime) -> dict[str, tuple[float, int, int]]:
    """One tick in this process: per job (seconds, queries, written)."""
    results = {}
    for name, _ in registered_jobs():
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            written = run_job(name, now)
        results[name] = (time.perf_counter() - started, counter.count, written)
    return results


def totals(results: dict[str, tuple[float, int, int]]) -> tuple[float, int, int]:
    return (
        sum(r[0] for r in results.values()),
        sum(r[1] for r in results.values()),
        sum(max(r[2], 0) for r in results.values()),
    )


def undo_tick(notifications_before: int, handoffs_before: int) -> None:
    """Back to the state the load left: the tick's notifications, handoffs and checks gone."""
    Notification.objects.filter(pk__gt=notifications_before).delete()
    Handoff.objects.filter(pk__gt=handoffs_before).delete()
    RotationCheck.objects.all().delete()
    JobLease.objects.all().delete()
    JobRun.objects.all().delete()


def measure(size: int, now: dt.datetime) -> dict[str, float]:
    started = time.perf_counter()
    call_command("load_demo", programmes=size, verbosity=0)
    loaded = time.perf_counter() - started
    notifications_before = Notification.objects.order_by("-pk").values_list("pk", flat=True)[0]
    handoffs_before = Handoff.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    firsts, idempotents = [], []
    for run in range(FIRST_RUNS):
        if run:
            undo_tick(notifications_before, handoffs_before)
        firsts.append(tick(now))
        idempotents.append(tick(now))
    for _ in range(IDEMPOTENT_RUNS - FIRST_RUNS):
        idempotents.append(tick(now))
    first = [totals(r) for r in firsts]
    again = [totals(r) for r in idempotents]
    print(f"\n{size:,} programmes (load_demo --programmes {size}: {loaded:.1f} s)")
    print(
        f"  first tick       {statistics.median(t[0] for t in first):7.2f} s  "
        f"{statistics.median(t[1] for t in first):6.0f} queries  "
        f"{statistics.median(t[2] for t in first):7.0f} written   (median of {len(first)})"
    )
    print(
        f"  idempotent tick  {statistics.median(t[0] for t in again):7.3f} s  "
        f"{statistics.median(t[1] for t in again):6.0f} queries  "
        f"{statistics.median(t[2] for t in again):7.0f} written   (median of {len(again)})"
    )
    slowest = sorted(firsts[-1].items(), key=lambda item: -item[1][0])[:5]
    print("  first tick, costliest jobs (last run):")
    for name, (seconds, queries, written) in slowest:
        print(f"    {name:<36} {seconds:6.2f} s  {queries:4d} queries  {written:6d} written")
    undo_tick(notifications_before, handoffs_before)
    return {
        "first": statistics.median(t[0] for t in first),
        "again": statistics.median(t[0] for t in again),
        "again_queries": statistics.median(t[1] for t in again),
    }


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"The scheduler tick on {connection.vendor}, each job in this process")
        # A fixed instant just after the load, the same for every run at both sizes.
        now = timezone.now() + dt.timedelta(minutes=1)
        figures = {size: measure(size, now) for size in SIZES}
        small, large = (figures[size] for size in SIZES)
        print(f"\n{SIZES[1]:,} against {SIZES[0]:,} programmes (10× the portfolio):")
        print(f"  first tick       {large['first'] / small['first']:6.1f}× the time")
        print(
            f"  idempotent tick  {large['again'] / small['again']:6.1f}× the time, "
            f"{large['again_queries']:.0f} against {small['again_queries']:.0f} queries"
        )
        print(
            f"  goals at {SIZES[1]:,}: idempotent ≤ 1 s ({large['again']:.3f} s), "
            f"first ≤ 10 s ({large['first']:.2f} s)"
        )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
