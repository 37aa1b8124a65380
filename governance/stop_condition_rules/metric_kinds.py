"""The rule kinds that judge a metric's measurements: worse than X for N in a row, not
measured for D days, a state and a date, off pace, and the error budget."""

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from programmes.numbers import plain_number
from scorecards.rules import shortfall

from . import (
    MAX_COUNT,
    MAX_DAYS,
    Judgement,
    MetricData,
    Needs,
    Param,
    Point,
    ProgrammeData,
    Rule,
    RuleContext,
    RuleKind,
    Verdict,
    fraction,
    register_rule_kind,
)

METRIC = Param(
    "metric",
    "metric",
    "Metric",
    required=False,
    help="The metric judged (its id); the headline metric when left out.",
)
THRESHOLD = Param("threshold", "decimal", "Threshold (X)", help="Worse than this counts as bad.")
COUNT = Param("count", "int", "Measurements in a row (N)", minimum=1, maximum=MAX_COUNT)
DAYS = Param("days", "int", "Days (D)", minimum=1, maximum=MAX_DAYS)
HEADLINE_MISSING = "The programme has no headline metric; give it one first."
DAY = dt.timedelta(days=1)


def with_unit(value: Decimal, metric: MetricData) -> str:
    unit = metric.unit.strip()
    return f"{plain_number(value)} {unit}" if unit else plain_number(value)


def worse_word(metric: MetricData | None) -> str:
    return "above" if metric is not None and metric.direction == "lower" else "below"


def metric_name(metric: MetricData | None) -> str:
    return metric.name if metric is not None else "(a deleted metric)"


def is_worse(value: Decimal, threshold: Decimal, metric: MetricData) -> bool:
    return shortfall(value, threshold, metric.direction) > 0


def judged_metric(rule: Rule, metrics: Mapping[int, MetricData]) -> MetricData | None:
    """The rule's metric, or the headline when the rule names none."""
    if rule.get("metric") is not None:
        return metrics.get(int(rule["metric"]))
    return next((m for m in metrics.values() if m.is_headline), None)


def measurement_fact(point: Point, metric: MetricData, **more: str) -> dict[str, Any]:
    return {
        "kind": "measurement",
        "id": point.id,
        "metric": metric.name,
        "value": plain_number(point.value),
        "measured_at": point.measured_at.isoformat(),
        **more,
    }


def local_date(moment: dt.datetime, zone: str) -> dt.date:
    return moment.astimezone(ZoneInfo(zone)).date()


def start_of(day: dt.date, zone: str) -> dt.datetime:
    """Midnight starting ``day`` in ``zone``, as an aware time (DST-safe)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def _metric_refusal(rule: Rule, context: RuleContext) -> dict[str, str]:
    if judged_metric(rule, context.metrics) is None:
        return {"metric": HEADLINE_MISSING}
    return {}


def threshold_side_refusal(rule: Rule, context: RuleContext) -> dict[str, str]:
    """A stop threshold sits at or beyond the baseline on the worse side: one on the better side
    would stop a programme for being where it started."""
    metric = judged_metric(rule, context.metrics)
    if metric is None:
        return {"metric": HEADLINE_MISSING}
    threshold = Decimal(rule["threshold"])
    if shortfall(threshold, metric.baseline_value, metric.direction) < 0:
        better = "higher" if metric.direction == "higher" else "lower"
        side = "at or below" if metric.direction == "higher" else "at or above"
        return {
            "threshold": (
                f"The threshold ({plain_number(threshold)}) is on the wrong side of the baseline "
                f"({plain_number(metric.baseline_value)}): {better} is better for "
                f"{metric.name}, so a stop threshold sits {side} the baseline."
            )
        }
    return {}


def run_of(points: tuple[Point, ...], bad: Callable[[Point], bool]) -> int:
    """How many of ``points`` (newest first) are bad in a row, from the newest."""
    run = 0
    for point in points:
        if not bad(point):
            break
        run += 1
    return run


def short_of_a_run(words: str, *, run: int, needed: int, have: int) -> Verdict:
    """The verdict of a rule that needs ``needed`` bad measurements in a row and has ``run``:
    "not enough data" while it has fewer than ``needed`` measurements at all."""
    if have < needed:
        return Verdict(
            Judgement.NOT_ENOUGH_DATA,
            f"{words}; it judges from {needed} measurements and has {have}",
            fraction(run, needed),
        )
    return Verdict(Judgement.OK, words, fraction(run, needed))


# 1. Worse than X for N consecutive measurements.
def _streak_evaluate(rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    metric = judged_metric(rule, data.metrics)
    if metric is None:
        return Verdict(Judgement.NOT_ENOUGH_DATA, "The metric it judges is gone.", None)
    threshold, needed = Decimal(rule["threshold"]), int(rule["count"])
    recent = metric.points[:needed]
    run = run_of(recent, lambda p: is_worse(p.value, threshold, metric))
    words = (
        f"{run} of {needed} consecutive measurements {worse_word(metric)} "
        f"{with_unit(threshold, metric)}"
    )
    if run >= needed:
        return Verdict(
            Judgement.TRIPPING,
            words,
            Decimal(1),
            facts=tuple(measurement_fact(p, metric) for p in reversed(recent)),
            severity=max(shortfall(p.value, threshold, metric.direction) for p in recent),
        )
    return short_of_a_run(words, run=run, needed=needed, have=len(metric.points))


register_rule_kind(
    RuleKind(
        key="metric_streak",
        label="Worse than X for N measurements in a row",
        summary="Trips when the metric's last N measurements are all worse than X "
        "(below X when higher is better).",
        too_little_data="With fewer than N measurements it says “not enough data”.",
        params=(METRIC, THRESHOLD, COUNT),
        check=threshold_side_refusal,
        describe=lambda rule, context: (
            f"{metric_name(judged_metric(rule, context.metrics))} "
            f"{worse_word(judged_metric(rule, context.metrics))} "
            f"{plain_number(Decimal(rule['threshold']))} for {rule['count']} measurements in a row"
        ),
        evaluate=_streak_evaluate,
        needs=lambda rule: Needs(count=int(rule["count"])),
    )
)


# 4. Not measured for D days.
def _stale_evaluate(rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    metric = judged_metric(rule, data.metrics)
    if metric is None:
        return Verdict(Judgement.NOT_ENOUGH_DATA, "The metric it judges is gone.", None)
    allowed = int(rule["days"])
    if not metric.points:
        since = start_of(metric.baseline_date, data.timezone)
        age = max((now - since) // DAY, 0)
        due = since + allowed * DAY
        if now >= due:
            return Verdict(
                Judgement.TRIPPING,
                f"never measured; {age} of {allowed} days since the baseline date",
                Decimal(1),
                facts=({"kind": "never_measured", "metric": metric.name},),
            )
        return Verdict(
            Judgement.NOT_ENOUGH_DATA,
            f"not measured yet; {age} of {allowed} days since the baseline date",
            fraction(age, allowed),
            changes_at=due,
        )
    latest = metric.points[0]
    age = max((now - latest.measured_at) // DAY, 0)
    due = latest.measured_at + allowed * DAY
    words = f"last measured {age} of {allowed} days ago"
    if now >= due:
        return Verdict(
            Judgement.TRIPPING,
            words,
            Decimal(1),
            facts=(measurement_fact(latest, metric),),
        )
    return Verdict(Judgement.OK, words, fraction(age, allowed), changes_at=due)


register_rule_kind(
    RuleKind(
        key="not_measured",
        label="Not measured for D days",
        summary="Trips when the metric's latest measurement is D days old or more.",
        too_little_data="Never measured, it counts from the baseline date: “not enough data” "
        "until D days have passed, then it trips.",
        params=(METRIC, DAYS),
        check=_metric_refusal,
        describe=lambda rule, context: (
            f"{metric_name(judged_metric(rule, context.metrics))} not measured "
            f"for {rule['days']} days"
        ),
        evaluate=_stale_evaluate,
        needs=lambda rule: Needs(count=1),
    )
)


# 7. The error budget.
def _budget_evaluate(rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    metric = data.headline
    if metric is None:
        return Verdict(Judgement.NOT_ENOUGH_DATA, HEADLINE_MISSING, None)
    threshold, budget = Decimal(rule["threshold"]), Decimal(rule["percent"])
    days, minimum = int(rule["days"]), int(rule.get("min_measurements") or 10)
    window = [p for p in metric.points if p.measured_at > now - days * DAY]
    bad = [p for p in window if is_worse(p.value, threshold, metric)]
    changes_at = min(p.measured_at for p in window) + days * DAY if window else None
    share = (Decimal(len(bad)) * 100 / len(window)).quantize(Decimal("0.1")) if window else None
    if len(window) < minimum:
        return Verdict(
            Judgement.NOT_ENOUGH_DATA,
            f"{len(window)} of the {minimum} measurements in {days} days it judges from; "
            f"{len(bad)} {worse_word(metric)} {with_unit(threshold, metric)}",
            None,
            changes_at=changes_at,
        )
    assert share is not None
    words = (
        f"{plain_number(share)} % of {len(window)} measurements in the last {days} days "
        f"{worse_word(metric)} {with_unit(threshold, metric)} (budget {plain_number(budget)} %)"
    )
    if share > budget:
        return Verdict(
            Judgement.TRIPPING,
            words,
            Decimal(1),
            facts=tuple(measurement_fact(p, metric) for p in reversed(bad[:MAX_COUNT])),
            severity=share,
            changes_at=changes_at,
        )
    return Verdict(
        Judgement.OK,
        words,
        fraction(share, budget) if budget else Decimal(0),
        severity=share,
        changes_at=changes_at,
    )


register_rule_kind(
    RuleKind(
        key="budget",
        label="Error budget",
        summary="Trips when more than P % of the headline's measurements in the last D days "
        "are worse than X.",
        too_little_data="With fewer than the minimum number of measurements in the window "
        "(10 unless set) it says “not enough data”.",
        params=(
            THRESHOLD,
            Param("percent", "decimal", "Budget (P %)", minimum=0, maximum=100),
            DAYS,
            Param(
                "min_measurements",
                "int",
                "Minimum measurements",
                required=False,
                minimum=1,
                maximum=1000,
                help="How many measurements in the window before it judges (10 when left out).",
            ),
        ),
        check=threshold_side_refusal,
        describe=lambda rule, context: (
            f"more than {plain_number(Decimal(rule['percent']))} % of "
            f"{metric_name(context.headline)} measurements in {rule['days']} days "
            f"{worse_word(context.headline)} "
            f"{plain_number(Decimal(rule['threshold']))}"
        ),
        evaluate=_budget_evaluate,
        needs=lambda rule: Needs(days=int(rule["days"])),
    )
)
