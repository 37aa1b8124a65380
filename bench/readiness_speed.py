"""Readiness speed budget: 400 programmes, each with the default criteria and an approved
four-role review.

Prints the time and SQL query count of the pilot verdict over 40 and over 400 programmes (the
dashboard's read), of the readiness page and API of one programme, and of the re-attestation
job over every approved sign-off (the first run finds what changed, the second only reads),
with each figure's ratio to its 40-programme baseline. Runs on a throwaway test database of the
configured engine: `make bench`, or with DATABASE_URL set to measure PostgreSQL.
"""

import datetime as dt
import os
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
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from governance.models import Criterion, ReadinessReview, SignOff, SignOffDecision  # noqa: E402
from governance.readiness_jobs import ask_for_reattestation  # noqa: E402
from governance.readiness_rules import DEFAULT_CRITERIA, signoff_expiry  # noqa: E402
from governance.selectors.pilot_verdict import pilot_verdicts  # noqa: E402
from programmes.models import Person, Programme  # noqa: E402
from programmes.selectors import LEADERSHIP_GROUP  # noqa: E402
from scorecards.models import Measurement, Metric  # noqa: E402

PROGRAMMES = 400
BASELINE = 40


def build() -> object:
    user = get_user_model().objects.create_user("bench", password="bench")  # noqa: S106
    user.groups.add(Group.objects.create(name=LEADERSHIP_GROUP))
    people = Person.objects.bulk_create(
        Person(name=f"Signer {n}", email=f"signer{n}@example.com") for n in range(4)
    )
    programmes = Programme.objects.bulk_create(
        Programme(name=f"Programme {n}", slug=f"programme-{n}", oncall_lead=people[0])
        for n in range(PROGRAMMES)
    )
    today = timezone.localdate()
    metrics = Metric.objects.bulk_create(
        Metric(
            programme=p,
            name="Headline",
            is_headline=True,
            baseline_value=Decimal(60),
            baseline_date=today - dt.timedelta(days=100),
            target_value=Decimal(90),
            target_date=today + dt.timedelta(days=100),
        )
        for p in programmes
    )
    now = timezone.now()
    Measurement.objects.bulk_create(
        Measurement(
            metric=m,
            value=Decimal(70 + k),
            measured_at=now - dt.timedelta(days=k),
            model_version=f"v{k % 3}",
        )
        for m in metrics
        for k in range(10)
    )
    Criterion.objects.bulk_create(
        Criterion(programme=p, pillar=d.pillar, title=d.title, evidence_check=d.evidence_check)
        for p in programmes
        for d in DEFAULT_CRITERIA
    )
    reviews = ReadinessReview.objects.bulk_create(
        ReadinessReview(programme=p, round=1) for p in programmes
    )
    signed = now - dt.timedelta(days=5)
    SignOff.objects.bulk_create(
        SignOff(
            review=r,
            role=role,
            signer=people[k],
            decision=SignOffDecision.APPROVED,
            decided_at=signed,
            attested_at=signed,
            expires_at=signoff_expiry(signed),
            attested_headline_id=None,
            attested_model_version="v0",
        )
        for r in reviews
        for k, role in enumerate(("delivery", "security", "risk", "product"))
    )
    return user


def timed(label: str, run: object, baseline: tuple[float, int] | None = None) -> tuple[float, int]:
    # The query log keeps 9,000 queries; each figure counts its own from empty.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = run()  # type: ignore[operator]
        took = (time.perf_counter() - started) * 1000
    queries = len(captured.captured_queries)
    ratio = ""
    if baseline is not None:
        ratio = f"  x{took / baseline[0]:5.1f} time  x{queries / baseline[1]:4.1f} queries"
    size = f"{result}" if isinstance(result, int) else ""
    print(f"{label:<52} {took:8.1f} ms  {queries:4d} queries {size:>6}{ratio}")
    return took, queries


def main() -> None:
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        user = build()
        print(
            f"Keel readiness benchmark on {connection.vendor}: {PROGRAMMES} programmes, "
            f"{len(DEFAULT_CRITERIA)} criteria and 4 approvals each "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        programmes = list(Programme.objects.select_related("oncall_lead").order_by("id"))
        now = timezone.now()
        pilot_verdicts(programmes[:1], now)  # the first query of a run pays for connecting
        base = timed(
            f"pilot verdict, {BASELINE} programmes",
            lambda: len(pilot_verdicts(programmes[:BASELINE], now)),
        )
        timed(
            f"pilot verdict, {PROGRAMMES} programmes",
            lambda: len(pilot_verdicts(programmes, now)),
            base,
        )
        client = APIClient()
        client.force_login(user)  # type: ignore[arg-type]
        slug = programmes[0].slug
        timed(
            "page  /programmes/<slug>/readiness/",
            lambda: client.get(f"/programmes/{slug}/readiness/").status_code,
        )
        timed(
            "api   GET /api/v1/programmes/<slug>/readiness/",
            lambda: client.get(f"/api/v1/programmes/{slug}/readiness/").status_code,
        )
        for run in ("tells", "finds"):
            timed(
                f"tick  ask_for_reattestation ({PROGRAMMES * 4} sign-offs, {run})",
                lambda: ask_for_reattestation(timezone.now()),
            )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
