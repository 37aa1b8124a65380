"""Stop-condition evaluation speed budget: the scheduled evaluation at 1,000 and 10,000
programmes, each with a headline metric of 10 measurements and a policy of four approved
conditions (worse than X for 3 in a row, not measured for 14 days, an error budget over 28 days,
and one people assess).

Prints, at each size, the time and SQL query count of the tick's `evaluate_stop_conditions`
when every condition is due (after a write to every programme: a full evaluation) and when
nothing changed since (the idempotent run, which must stay under 1 s at 10,000 programmes), with
ratios against the 1,000-programme figures of the same run. Builds its portfolio itself with
`bulk_create` on a throwaway test database of the configured engine: `make bench`, or with
DATABASE_URL set to measure PostgreSQL.
"""

import datetime as dt
import os
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

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

from governance.jobs import evaluate_stop_conditions  # noqa: E402
from governance.models import (  # noqa: E402
    StopCondition,
    StopConditionTrip,
    StopConditionVersion,
    StopPolicy,
)
from programmes.models import Person, Programme  # noqa: E402
from scorecards.models import Measurement, Metric  # noqa: E402

SIZES = (1_000, 10_000)
MEASUREMENTS = 10
IDEMPOTENT_BUDGET_SECONDS = 1.0
RULES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("metric_streak", {"threshold": "65", "count": 3}),
    ("not_measured", {"days": 14}),
    ("budget", {"threshold": "65", "percent": "25", "days": 28, "min_measurements": 5}),
    ("", {}),
)


def build(start: int, stop: int) -> None:
    """Programmes ``start`` to ``stop`` with their headline, measurements and policy."""
    now = timezone.now()
    today = now.date()
    people = Person.objects.bulk_create(
        Person(name=f"Person {n}", email=f"person{n}@example.com")
        for n in range(2 * start, 2 * stop)
    )
    programmes = Programme.objects.bulk_create(
        Programme(
            name=f"Programme {n}",
            slug=f"programme-{n}",
            programme_owner=people[2 * (n - start)],
            executive_sponsor=people[2 * (n - start) + 1],
        )
        for n in range(start, stop)
    )
    metrics = Metric.objects.bulk_create(
        Metric(
            programme=programme,
            name="Accuracy",
            unit="%",
            is_headline=True,
            baseline_value=Decimal(70),
            baseline_date=today - dt.timedelta(days=100),
            target_value=Decimal(90),
            target_date=today + dt.timedelta(days=265),
        )
        for programme in programmes
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                metric=metric,
                value=Decimal(75 + (i % 5)),
                measured_at=now - dt.timedelta(days=i, hours=1),
            )
            for metric in metrics
            for i in range(MEASUREMENTS)
        ),
        batch_size=5000,
    )
    policies = StopPolicy.objects.bulk_create(
        StopPolicy(programme=p, author=p.programme_owner, approved_on=today) for p in programmes
    )
    StopPolicy.approvers.through.objects.bulk_create(
        StopPolicy.approvers.through(stoppolicy_id=policy.pk, person_id=p.executive_sponsor_id)
        for policy, p in zip(policies, programmes, strict=True)
    )
    conditions = StopCondition.objects.bulk_create(
        (
            StopCondition(programme=p, policy=policy, next_check_at=now)
            for policy, p in zip(policies, programmes, strict=True)
            for _ in RULES
        ),
        batch_size=5000,
    )
    StopConditionVersion.objects.bulk_create(
        (
            StopConditionVersion(
                condition=condition,
                number=1,
                text="A written condition.",
                consequence="pause",
                rule_kind=RULES[index % len(RULES)][0],
                rule=RULES[index % len(RULES)][1],
                approved_by_id=condition.programme.executive_sponsor_id,
                approved_at=now,
            )
            for index, condition in enumerate(conditions)
        ),
        batch_size=5000,
    )


def run(label: str, now: dt.datetime) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        tripped = evaluate_stop_conditions(now)
        took = time.perf_counter() - started
    queries = len(captured.captured_queries)
    print(f"{label:<58} {took:8.3f} s  {queries:5d} queries  {tripped:3d} trips")
    return took, queries


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    figures: dict[int, dict[str, tuple[float, int]]] = {}
    try:
        built = 0
        for size in SIZES:
            started = time.perf_counter()
            build(built, size)
            built = size
            conditions = StopCondition.objects.count()
            print(
                f"Keel stop-condition benchmark on {connection.vendor}: {size:,} programmes, "
                f"{conditions:,} conditions (built in {time.perf_counter() - started:.1f} s)"
            )
            now = timezone.now()
            StopCondition.objects.update(next_check_at=now)
            full = run(f"tick  every condition due ({size:,} programmes)", now)
            again = run(
                f"tick  nothing changed since ({size:,} programmes)", now + dt.timedelta(minutes=1)
            )
            StopCondition.objects.update(next_check_at=now)
            refull = run(
                f"tick  every condition due again, same data ({size:,})",
                now + dt.timedelta(minutes=2),
            )
            figures[size] = {"full": full, "idempotent": again, "refull": refull}
        assert not StopConditionTrip.objects.exists()
        small, large = figures[SIZES[0]], figures[SIZES[-1]]
        for key, label in (("full", "every condition due"), ("idempotent", "nothing changed")):
            ratio = large[key][0] / small[key][0] if small[key][0] else float("inf")
            print(
                f"ratio {SIZES[-1]:,} / {SIZES[0]:,} programmes, {label:<22} "
                f"time × {ratio:5.1f}   queries {small[key][1]} → {large[key][1]}"
            )
        idle = large["idempotent"][0]
        verdict = "within" if idle <= IDEMPOTENT_BUDGET_SECONDS else "OVER"
        print(
            f"idempotent run at {SIZES[-1]:,} programmes: {idle:.3f} s, {verdict} the "
            f"{IDEMPOTENT_BUDGET_SECONDS:.0f} s budget"
        )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
