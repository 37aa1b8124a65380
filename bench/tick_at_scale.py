"""The scheduler tick at the size of a large organisation: `load_demo --programmes N` for
1,000 and then 10,000 programmes, and at each size

- the first tick, which writes every due notification and handoff row (run several times from
  the same loaded state: the rows it wrote are removed between runs), and
- the idempotent tick right after it, which finds everything written (the beat's every minute).

Prints the median seconds, the SQL queries and the notifications written, per tick and for the
jobs that cost most, and the ratios between the sizes: the idempotent tick's queries must be the
same at both sizes. Runs on a throwaway test database of the configured engine (DATABASE_URL).

Seconds move with the machine's load, so beside each tick it prints what the load moves less:
the CPU seconds of this process and of its PostgreSQL backend (read from /proc, where the
database runs on this machine), the load average, and the tick in units of a fixed CPU-bound
baseline timed just before it.
"""

import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import dataclass
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

from governance.models import Review  # noqa: E402
from oncall.models import Handoff, RotationCheck  # noqa: E402
from programmes.management.commands.run_reminders import QueryCounter  # noqa: E402
from programmes.models import JobLease, JobRun, Notification  # noqa: E402
from programmes.registry.jobs import registered_jobs, run_job  # noqa: E402

SIZES = (1_000, 10_000)
FIRST_RUNS = 3
IDEMPOTENT_RUNS = 5
# A fixed instant just after the load, the same for every run at both sizes.
NOW = timezone.now() + dt.timedelta(minutes=1)


BASELINE_LOOPS = 10_000_000


@dataclass(frozen=True)
class Tick:
    jobs: dict[str, tuple[float, int, int]]  # per job: seconds, queries, written
    seconds: float
    cpu: float  # this process, user + sys
    database_cpu: float | None  # its PostgreSQL backend, user + sys (None when not readable)
    baseline: float  # seconds of the CPU-bound baseline timed just before
    load: float  # the one-minute load average at the end

    @property
    def queries(self) -> int:
        return sum(job[1] for job in self.jobs.values())

    @property
    def written(self) -> int:
        return sum(max(job[2], 0) for job in self.jobs.values())


def baseline() -> float:
    """A fixed piece of CPU-bound Python: its seconds say how fast the machine runs right now."""
    started = time.perf_counter()
    total = 0
    for n in range(BASELINE_LOOPS):
        total += n % 7
    return time.perf_counter() - started


def database_cpu() -> float | None:
    """User + sys seconds of this connection's PostgreSQL backend, when it runs here."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tick(now: dt.datetime) -> Tick:
    """One tick in this process, every job in turn, as ``run_reminders`` runs it."""
    base = baseline()
    jobs = {}
    db_before, cpu_before, started = database_cpu(), time.process_time(), time.perf_counter()
    for name, _ in registered_jobs():
        counter = QueryCounter()
        job_started = time.perf_counter()
        with connection.execute_wrapper(counter):
            written = run_job(name, now)
        jobs[name] = (time.perf_counter() - job_started, counter.count, written)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_before
    db_after = database_cpu()
    db = None if db_before is None or db_after is None else db_after - db_before
    return Tick(jobs, seconds, cpu, db, base, os.getloadavg()[0])


def undo_tick(notifications_before: int, handoffs_before: int, reviews_before: int) -> None:
    """Back to the state the load left: the tick's notifications, handoffs, checks and reviews
    gone, the reviews it reminded not reminded."""
    Notification.objects.filter(pk__gt=notifications_before).delete()
    Handoff.objects.filter(pk__gt=handoffs_before).delete()
    Review.objects.filter(pk__gt=reviews_before).delete()
    Review.objects.filter(reminded_at=NOW).update(reminded_at=None)
    RotationCheck.objects.all().delete()
    JobLease.objects.all().delete()
    JobRun.objects.all().delete()


def last_pk(model: type[Notification] | type[Handoff] | type[Review]) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def median(ticks: list[Tick], figure: str) -> float:
    """The median of a figure over the ticks (0 for the database's CPU where it is not read)."""
    values = [value for t in ticks if (value := getattr(t, figure)) is not None]
    return statistics.median(values) if values else 0.0


def show(label: str, ticks: list[Tick]) -> None:
    db = median(ticks, "database_cpu")
    print(
        f"  {label:<16} {median(ticks, 'seconds'):7.2f} s  {median(ticks, 'queries'):6.0f} "
        f"queries  {median(ticks, 'written'):7.0f} written   (median of {len(ticks)})"
    )
    print(
        f"  {'':<16} cpu {median(ticks, 'cpu'):.2f} s here + {db:.2f} s PostgreSQL; "
        f"{median(ticks, 'seconds') / median(ticks, 'baseline'):.0f}× the baseline "
        f"({median(ticks, 'baseline'):.3f} s); load average {median(ticks, 'load'):.1f}"
    )


def measure(size: int, now: dt.datetime) -> dict[str, float]:
    started = time.perf_counter()
    call_command("load_demo", programmes=size, verbosity=0)
    loaded = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # The planner's statistics, as autovacuum gathers them soon after a bulk load: without
        # them it plans for the empty tables the throwaway database began with.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    before = (last_pk(Notification), last_pk(Handoff), last_pk(Review))
    firsts, idempotents = [], []
    for run in range(FIRST_RUNS):
        if run:
            undo_tick(*before)
        firsts.append(tick(now))
        idempotents.append(tick(now))
    for _ in range(IDEMPOTENT_RUNS - FIRST_RUNS):
        idempotents.append(tick(now))
    print(f"\n{size:,} programmes (load_demo --programmes {size}: {loaded:.1f} s)")
    show("first tick", firsts)
    show("idempotent tick", idempotents)
    slowest = sorted(firsts[-1].jobs.items(), key=lambda item: -item[1][0])[:6]
    print("  first tick, costliest jobs (last run):")
    for name, (seconds, queries, written) in slowest:
        print(f"    {name:<36} {seconds:6.2f} s  {queries:4d} queries  {written:6d} written")
    undo_tick(*before)
    return {
        "first": median(firsts, "seconds"),
        "first_cpu": median(firsts, "cpu") + median(firsts, "database_cpu"),
        "again": median(idempotents, "seconds"),
        "again_queries": median(idempotents, "queries"),
    }


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"The scheduler tick on {connection.vendor}, each job in this process")
        figures = {size: measure(size, NOW) for size in SIZES}
        small, large = (figures[size] for size in SIZES)
        print(f"\n{SIZES[1]:,} against {SIZES[0]:,} programmes (10× the portfolio):")
        print(
            f"  first tick       {large['first'] / small['first']:6.1f}× the time, "
            f"{large['first_cpu'] / small['first_cpu']:.1f}× the CPU (here and PostgreSQL)"
        )
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
