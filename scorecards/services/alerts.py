"""The alerts a scorecard raises when it changes: a headline regression, a breached cost
envelope."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from programmes.models import Person, Programme
from programmes.notifications import notify
from programmes.numbers import plain_number
from programmes.times import for_message

from .. import rules, selectors
from ..models import (
    Measurement,
    Metric,
    MetricKind,
    Regression,
)
from ..notification_kinds import COST_ENVELOPE, METRIC_REGRESSION


def reassess(metric: Metric, *, now: dt.datetime) -> None:
    """Open or close the metric's regression from its latest measurement, and check the cost
    envelope when the metric feeds unit economics."""
    _update_regression(metric)
    if metric.kind in (MetricKind.COST_PER_TASK, MetricKind.TASK_VOLUME):
        check_cost_envelope(metric.programme, now=now)


def _update_regression(metric: Metric) -> None:
    recent = list(
        Measurement.objects.filter(metric=metric).order_by("-measured_at", "-id")[
            : metric.regression_window + 1
        ]
    )
    open_regression = Regression.objects.filter(metric=metric, closed_at__isnull=True).first()
    if not recent:
        reason = None
    else:
        latest, previous = recent[0], recent[1:]
        reason = rules.regression_reason(
            latest.value,
            [m.value for m in previous],
            baseline=metric.baseline_value,
            direction=metric.direction,
            tolerance=metric.regression_tolerance,
        )
    if reason is None:
        if open_regression is not None:
            open_regression.closed_at = timezone.now()
            open_regression.save(update_fields=["closed_at"])
        return
    if open_regression is not None:
        return
    regression = Regression.objects.create(
        metric=metric, opened_by=recent[0], opened_at=recent[0].measured_at, reason=reason
    )
    programme = metric.programme
    for person in _metric_people(metric):
        notify(
            recipient=person,
            programme=programme,
            kind=METRIC_REGRESSION,
            occurrence=f"metric-regression:{metric.pk}:{regression.pk}",
            subject=f"{programme.name}: {metric.name} has regressed",
            body=(
                f"{metric.name} regressed on "
                f"{for_message(recent[0].measured_at, person.timezone)}: {reason}."
                + (f" Model/version: {recent[0].model_version}." if recent[0].model_version else "")
                + " The scorecard shows red until a measurement recovers."
            ),
            link=metric.get_absolute_url(),
        )


def _metric_people(metric: Metric) -> list[Person]:
    """The metric's owner and the programme owner, each once."""
    people: dict[int, Person] = {}
    for person in (metric.owner, metric.programme.programme_owner):
        if person is not None:
            people.setdefault(person.pk, person)
    return list(people.values())


def check_cost_envelope(programme: Programme, *, now: dt.datetime) -> bool:
    """Whether the programme's unit economics breach its envelope; the first breach of a month
    tells the cost-per-task metric's owner and the programme owner."""
    metrics = list(
        selectors.programme_metrics(programme).filter(
            kind__in=[MetricKind.COST_PER_TASK, MetricKind.TASK_VOLUME]
        )
    )
    economics = selectors.unit_economics_of(programme, metrics)
    if not economics.breached:
        return False
    month = f"{now:%Y-%m}"
    cost_metric = next(m for m in metrics if m.kind == MetricKind.COST_PER_TASK)
    cost = economics.projected_monthly_cost or economics.current_monthly_cost
    # A breach is a cost over an envelope: both are there.
    assert cost is not None
    assert economics.envelope is not None
    for person in _metric_people(cost_metric):
        notify(
            recipient=person,
            programme=programme,
            kind=COST_ENVELOPE,
            occurrence=f"cost-envelope:{programme.slug}:{month}",
            subject=f"{programme.name}: monthly cost over the envelope",
            body=(
                f"At the latest cost per task, {programme.name} costs {plain_number(cost)} "
                f"{programme.cost_currency} a month against an envelope of "
                f"{plain_number(economics.envelope)} {programme.cost_currency}."
            ),
            link=reverse("scorecard", kwargs={"slug": programme.slug}),
        )
    return True
