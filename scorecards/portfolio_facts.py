"""What the leadership dashboard reads of the scorecards: each programme's headline standing,
unit economics and target slip for many programmes at once, and the sparkline points of the
rows on screen."""

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from programmes.any_of import AnyOf
from programmes.models import AuditEvent, Programme

from . import rules
from .models import Measurement, Metric, MetricKind
from .selectors import status_of, unit_economics_of, with_status_data


@dataclass(frozen=True)
class TargetSlip:
    """A headline target changed after it was agreed: what was agreed, and progress against it."""

    original_value: Decimal
    original_date: dt.date
    original_progress: Decimal
    changed_at: dt.datetime


@dataclass(frozen=True)
class ScorecardFacts:
    """What the leadership dashboard shows of one programme's scorecard."""

    headline: Metric | None
    status: rules.MetricStatus | None
    economics: rules.UnitEconomics
    slip: TargetSlip | None


SLIPPED_FIELDS = ("target_value", "target_date")
# The dashboard's sparkline shows the latest points only.
SPARKLINE_POINTS = 20
ECONOMICS_KINDS = (MetricKind.COST_PER_TASK, MetricKind.TASK_VOLUME)


def sparkline_points(metric_ids: list[int]) -> dict[int, list[rules.Point]]:
    """Each metric's latest ``SPARKLINE_POINTS`` points, oldest first: one query."""
    recent = (
        Measurement.objects.filter(AnyOf(F("metric_id"), metric_ids))
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("metric_id")],
                order_by=[F("measured_at").desc(), F("id").desc()],
            )
        )
        .filter(newest__lte=SPARKLINE_POINTS)
        .order_by("metric_id", "measured_at", "id")
        .values_list("metric_id", "value", "measured_at", "model_version")
    )
    found: dict[int, list[rules.Point]] = {pk: [] for pk in metric_ids}
    for metric_id, value, at, version in recent:
        found[metric_id].append(rules.Point(value, at, version))
    return found


def _target_slips(headlines: list[Metric]) -> dict[int, TargetSlip]:
    """Each agreed headline whose target moved after its agreement, from the audit trail: one
    query. The original is what the first change after agreement moved it from."""
    agreed = {m.pk: m for m in headlines if m.agreed_on is not None}
    if not agreed:
        return {}
    events = AuditEvent.objects.filter(
        AnyOf(F("object_id"), [str(pk) for pk in agreed]), object_type="metric", action="update"
    ).order_by("at", "id")
    slips: dict[int, TargetSlip] = {}
    for event in events.only("object_id", "at", "before", "after"):
        metric = agreed[int(event.object_id)]
        agreed_on = metric.agreed_on
        before, after = event.before or {}, event.after or {}
        moved = [name for name in SLIPPED_FIELDS if name in after]
        if metric.pk in slips or not moved or agreed_on is None or event.at.date() < agreed_on:
            continue
        value = Decimal(str(before.get("target_value", metric.target_value)))
        date = before.get("target_date", metric.target_date)
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        slips[metric.pk] = TargetSlip(value, date, Decimal(0), event.at)
    return slips


def dashboard_facts(programmes: list[Programme], now: dt.datetime) -> dict[int, ScorecardFacts]:
    """Each programme's headline standing, unit economics and target slip, in a fixed number
    of queries however many programmes."""
    ids = [p.pk for p in programmes]
    in_programmes = Metric.objects.filter(AnyOf(F("programme_id"), ids))
    # Each status needs only the latest point (``sparkline_points`` reads the rows on screen).
    # The caller holds the programmes, so the metrics' own programme and people are not loaded.
    headlines = with_status_data(in_programmes.filter(is_headline=True), recent=1)
    economics = with_status_data(
        in_programmes.filter(is_headline=False, kind__in=ECONOMICS_KINDS), recent=1
    )
    metrics = sorted(
        [*headlines.select_related(None), *economics.select_related(None)],
        key=lambda m: (m.programme_id, not m.is_headline, m.pk),
    )
    by_programme: dict[int, list[Metric]] = {pk: [] for pk in ids}
    for metric in metrics:
        by_programme[metric.programme_id].append(metric)
    slips = _target_slips([m for m in metrics if m.is_headline])
    facts = {}
    for programme in programmes:
        own = by_programme[programme.pk]
        headline = next((m for m in own if m.is_headline), None)
        status = status_of(headline, now) if headline else None
        slip = slips.get(headline.pk) if headline else None
        if headline and status and slip:
            slip = replace(
                slip,
                original_progress=rules.progress(
                    status.current, baseline=headline.baseline_value, target=slip.original_value
                ),
            )
        facts[programme.pk] = ScorecardFacts(
            headline=headline,
            status=status,
            economics=unit_economics_of(programme, own),
            slip=slip,
        )
    return facts
