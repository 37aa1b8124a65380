"""Demo scorecards for the demo portfolio: months of measurements with a model change, a
regression, a cost-envelope breach and a stale headline, so every part of the scorecard shows."""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from programmes.models import Person, Programme, Role
from programmes.registry.demo import GeneratedPortfolio, demo_generator, demo_loader
from programmes.rules import access_for

from . import services
from .models import Direction, Measurement, MeasurementSource, Metric, MetricKind

# programme name → its metrics. ``series`` is (days ago of the first point, days between points,
# first value, last value) with a little noise; ``models`` names the model versions and the day
# (days ago) each took over; ``tail`` holds values measured in the last hour that break the trend.
DEMO_SCORECARDS: dict[str, list[dict[str, Any]]] = {
    "Claims triage assistant": [
        {
            "name": "Routing accuracy",
            "unit": "%",
            "headline": True,
            "baseline": "72",
            "target": "90",
            "owner": "Priya Raman",
            "tolerance": "2",
            "series": (180, 3, 73.0, 86.5),
            "models": [(180, "claims-gpt-2026-05"), (75, "claims-gpt-2026-09")],
        },
        {
            "name": "Cost per claim",
            "unit": "EUR",
            "kind": MetricKind.COST_PER_TASK,
            "direction": Direction.LOWER,
            "baseline": "0.090",
            "target": "0.050",
            "owner": "Aisha Mensah",
            "tolerance": "0.01",
            "series": (180, 7, 0.088, 0.061),
        },
        {
            "name": "Claims routed per month",
            "unit": "tasks",
            "kind": MetricKind.TASK_VOLUME,
            "baseline": "20000",
            "target": "150000",
            "owner": "Aisha Mensah",
            "tolerance": "5000",
            "staleness_days": 45,
            "series": (180, 30, 21000, 64000),
        },
        {
            "name": "p95 latency",
            "unit": "ms",
            "kind": MetricKind.LATENCY,
            "direction": Direction.LOWER,
            "baseline": "4200",
            "target": "2000",
            "owner": "Priya Raman",
            "tolerance": "300",
            "series": (120, 2, 4100, 2600),
        },
    ],
    "Customer support copilot": [
        {
            "name": "Draft acceptance rate",
            "unit": "%",
            "headline": True,
            "baseline": "35",
            "target": "60",
            "owner": "Daniel Kim",
            "tolerance": "2",
            "series": (120, 2, 36.0, 47.0),
            "models": [(120, "support-llm-v3"), (1, "support-llm-v4")],
            "tail": ["33.5"],
        },
        {
            "name": "Cost per drafted reply",
            "unit": "EUR",
            "kind": MetricKind.COST_PER_TASK,
            "direction": Direction.LOWER,
            "baseline": "0.150",
            "target": "0.080",
            "owner": "Daniel Kim",
            "tolerance": "0.01",
            "series": (120, 7, 0.15, 0.12),
        },
        {
            "name": "Replies drafted per month",
            "unit": "tasks",
            "kind": MetricKind.TASK_VOLUME,
            "baseline": "10000",
            "target": "90000",
            "owner": "Oliver Grant",
            "tolerance": "5000",
            "staleness_days": 45,
            "series": (120, 30, 11000, 42000),
        },
    ],
    "Contract clause extraction": [
        {
            "name": "Clause recall",
            "unit": "%",
            "headline": True,
            "baseline": "61",
            "target": "85",
            "owner": "Jonas Weber",
            "agreed": False,
            "tolerance": "2",
            "series": (90, 10, 62.0, 69.0),
            "stop_days_ago": 30,
        },
    ],
    "Fraud alert summariser": [
        {
            "name": "Material facts retained",
            "unit": "%",
            "headline": True,
            "baseline": "94",
            "target": "99.5",
            "owner": "Priya Raman",
            "tolerance": "0.5",
            "series": (150, 5, 95.0, 97.2),
        },
    ],
    "Developer code review bot": [
        {
            "name": "Test-coverage comments accepted",
            "unit": "%",
            "headline": True,
            "baseline": "18",
            "target": "45",
            "owner": "Jonas Weber",
            "tolerance": "2",
            "series": (100, 4, 19.0, 23.0),
        },
    ],
}


def _series(spec: dict[str, Any], now: dt.datetime, rng: random.Random) -> list[Any]:
    first_day, step, start, end = spec["series"]
    stop = spec.get("stop_days_ago", 0)
    days = list(range(first_day, stop, -step)) or [first_day]
    # Newest first, so the first version taken over at or after a point is the one in use.
    models = sorted(spec.get("models", []))
    noise = abs(end - start) * 0.02
    places = Decimal("0.001") if abs(end) < 10 else Decimal("0.1")
    points = []
    for index, days_ago in enumerate(days):
        share = index / max(len(days) - 1, 1)
        value = start + (end - start) * share + rng.uniform(-noise, noise)
        version = next((name for since, name in models if days_ago <= since), "")
        points.append((now - dt.timedelta(days=days_ago, hours=1), value, version))
    for offset, value in enumerate(spec.get("tail", [])):
        version = models[0][1] if models else ""
        points.append((now - dt.timedelta(minutes=30 - offset), float(value), version))
    return [
        services.NewMeasurement(
            value=Decimal(str(value)).quantize(places),
            measured_at=at,
            external_id=f"demo-{number}",
            model_version=version,
            source=MeasurementSource.EVALUATION_RUN,
        )
        for number, (at, value, version) in enumerate(points)
    ]


@demo_loader(order=10)
def load_demo_scorecards(*, users: dict[str, Any], people: dict[str, Person]) -> str:
    """Give each demo programme without metrics its demo scorecard."""
    actor = users["owner"]
    now = timezone.now()
    today = timezone.localdate()
    helen = people["Helen Okafor"]
    access = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
    loaded = 0
    for programme_name, metric_specs in DEMO_SCORECARDS.items():
        programme = Programme.objects.filter(name=programme_name).first()
        if programme is None or programme.metrics.exists():
            continue
        rng = random.Random(programme_name)
        for spec in metric_specs:
            first_day = spec["series"][0]
            agreed = spec.get("agreed", True)
            metric = services.create_metric(
                actor=actor,
                programme=programme,
                access=access,
                name=spec["name"],
                unit=spec["unit"],
                kind=spec.get("kind", MetricKind.EVALUATION),
                is_headline=spec.get("headline", False),
                direction=spec.get("direction", Direction.HIGHER),
                baseline_value=Decimal(spec["baseline"]),
                baseline_date=today - dt.timedelta(days=first_day),
                target_value=Decimal(spec["target"]),
                target_date=today + dt.timedelta(days=120),
                agreed_on=today - dt.timedelta(days=first_day) if agreed else None,
                agreed_by=helen if agreed else None,
                owner=people[spec["owner"]],
                regression_tolerance=Decimal(spec.get("tolerance", "0")),
                staleness_days=spec.get("staleness_days", 14),
            )
            services.record_measurements(
                actor=actor,
                metric=metric,
                access=access,
                measurements=_series(spec, now, rng),
                source=MeasurementSource.EVALUATION_RUN,
            )
        loaded += 1
    return f"{loaded} scorecard(s) loaded"


# A generated headline's history: this many weekly points, the latest this many days ago at most
# (past the 14-day staleness window for about one programme in seven).
GENERATED_POINTS = 8
GENERATED_LAST_POINT_DAYS = 16


@demo_generator(order=10)
def generate_headlines(portfolio: GeneratedPortfolio) -> str:
    """A headline metric per generated programme, owned by its technical owner, with two months
    of weekly evaluation results climbing from the baseline towards the target."""
    metrics = []
    for programme in portfolio.programmes:
        rng = portfolio.rng(programme, "headline")
        baseline = rng.randint(55, 75)
        metrics.append(
            Metric(
                programme=programme,
                name="Task accuracy",
                unit="%",
                kind=MetricKind.EVALUATION,
                is_headline=True,
                baseline_value=Decimal(baseline),
                baseline_date=(portfolio.now - dt.timedelta(days=120)).date(),
                target_value=Decimal(baseline + rng.randint(10, 25)),
                target_date=(portfolio.now + dt.timedelta(days=rng.randint(30, 200))).date(),
                owner_id=programme.technical_owner_id or programme.programme_owner_id,
                regression_tolerance=Decimal(2),
            )
        )
    Metric.objects.bulk_create(metrics, batch_size=2000)
    measurements = []
    for metric in metrics:
        rng = portfolio.rng(metric.programme, "measurements")
        last = portfolio.now - dt.timedelta(days=rng.randint(0, GENERATED_LAST_POINT_DAYS))
        value = float(metric.baseline_value)
        for week in range(GENERATED_POINTS):
            value += rng.uniform(-0.5, 2.0)
            measurements.append(
                Measurement(
                    metric=metric,
                    value=Decimal(f"{value:.2f}"),
                    measured_at=last - dt.timedelta(weeks=GENERATED_POINTS - 1 - week),
                    source=MeasurementSource.EVALUATION_RUN,
                    external_id=f"gen-run-{week}",
                    model_version=f"model-2026-{week // 3 + 1:02d}",
                )
            )
    Measurement.objects.bulk_create(measurements, batch_size=5000)
    return f"{len(metrics)} headline metric(s) with {len(measurements)} measurement(s)"
