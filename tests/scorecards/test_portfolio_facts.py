"""The dashboard's scorecard facts, read as plain rows, say what the metric's own page says: the
same status (stale, never measured, overridden, regressed), the same unit economics, and the
same count of queries however many programmes."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programmes.models import Programme
from scorecards.models import Assessment, Measurement, Metric, MetricKind, Rag, Regression
from scorecards.portfolio_facts import dashboard_facts
from scorecards.selectors import status_of, unit_economics_of, with_status_data
from tests.factories import MetricFactory, ProgrammeFactory, measure

pytestmark = pytest.mark.django_db


def assess(metric: Metric, *, confidence: int, override: str = "", reason: str = "") -> None:
    Assessment.objects.create(
        metric=metric,
        confidence=confidence,
        rag_override=override,
        reason=reason,
        computed_rag=Rag.GREEN,
    )


def economics_of(programme: Programme, *, cost: str, volume: str) -> None:
    for kind, value in ((MetricKind.COST_PER_TASK, cost), (MetricKind.TASK_VOLUME, volume)):
        metric = MetricFactory(programme=programme, is_headline=False, kind=kind)
        measure(metric, "1", value)


def portfolio() -> list[Programme]:
    """A programme of each kind the dashboard tells apart."""
    overridden = ProgrammeFactory(name="Overridden", cost_envelope=Decimal(500))
    headline = MetricFactory(programme=overridden)
    measure(headline, 72, 80, 75)
    assess(headline, confidence=2, override=Rag.RED, reason="Vendor slipping")
    assess(headline, confidence=4, override=Rag.AMBER, reason="Vendor back on track")
    economics_of(overridden, cost="0.25", volume="4000")

    regressed = ProgrammeFactory(name="Regressed")
    headline = MetricFactory(programme=regressed)
    measure(headline, 85, 60)
    Regression.objects.create(
        metric=headline,
        opened_by=Measurement.objects.filter(metric=headline).latest("measured_at"),
        opened_at=timezone.now(),
        reason="60 is below the recent median",
    )
    assess(headline, confidence=3, reason="Not overriding, so this reason is not shown")

    stale = ProgrammeFactory(name="Stale")
    measure(MetricFactory(programme=stale), 88, start=timezone.now() - dt.timedelta(days=60))

    never_measured = ProgrammeFactory(name="Never measured")
    MetricFactory(programme=never_measured)

    no_headline = ProgrammeFactory(name="No headline", cost_envelope=Decimal(100))
    measure(MetricFactory(programme=no_headline, is_headline=False), 50)
    economics_of(no_headline, cost="0.10", volume="5000")
    return list(Programme.objects.order_by("name"))


def test_each_programmes_facts_are_what_its_metrics_own_status_says():
    programmes = portfolio()
    now = timezone.now()
    facts = dashboard_facts(programmes, now)
    for programme in programmes:
        own = list(with_status_data(programme.metrics.order_by("-is_headline", "id")))
        headline = next((m for m in own if m.is_headline), None)
        fact = facts[programme.pk]
        assert fact.economics == unit_economics_of(programme, own)
        if headline is None:
            assert fact.headline is None
            assert fact.status is None
            continue
        assert fact.status == status_of(headline, now)
        assert fact.headline is not None
        for name in ("pk", "name", "unit", "baseline_value", "target_value", "target_date"):
            assert getattr(fact.headline, name) == getattr(headline, name)
    by_name = {p.name: facts[p.pk] for p in programmes}
    overridden = by_name["Overridden"].status
    assert overridden
    assert overridden.rag_override == Rag.AMBER
    assert overridden.override_reason == "Vendor back on track"
    assert overridden.confidence == 4
    regressed = by_name["Regressed"].status
    assert regressed
    assert regressed.regression
    assert regressed.rag == Rag.RED
    assert regressed.override_reason == ""
    assert by_name["Stale"].status
    assert by_name["Stale"].status.stale
    assert by_name["Never measured"].status
    assert by_name["Never measured"].status.current is None
    assert by_name["No headline"].economics.breached


def queries(programmes: list[Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        dashboard_facts(programmes, timezone.now())
    return len(captured)


def test_the_facts_take_the_same_queries_for_one_programme_and_for_many():
    portfolio()
    one = queries(list(Programme.objects.filter(name="Overridden")))
    for n in range(30):
        programme = ProgrammeFactory()
        headline = MetricFactory(programme=programme)
        measure(headline, 70 + n, 71 + n)
        assess(headline, confidence=1 + n % 5, override=Rag.RED if n % 2 else "")
    assert queries(list(Programme.objects.all())) == one <= 4
