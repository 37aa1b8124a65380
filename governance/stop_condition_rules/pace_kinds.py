"""The rule kinds that hold the headline to a plan: a state and a date, and off pace. Both read
dates in the programme's own time zone, so they hold across DST changes."""

import datetime as dt
from decimal import Decimal

from programmes.numbers import plain_number
from scorecards.rules import expected_progress, progress, shortfall

from . import (
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
from .metric_kinds import (
    COUNT,
    DAY,
    HEADLINE_MISSING,
    local_date,
    measurement_fact,
    metric_name,
    run_of,
    short_of_a_run,
    start_of,
    with_unit,
)


def needed_words(rule: Rule, metric: MetricData) -> str:
    if rule.get("value") is not None:
        return with_unit(Decimal(rule["value"]), metric)
    return f"{plain_number(Decimal(rule['percent']))} % of the way to the target"


def reached(rule: Rule, metric: MetricData, value: Decimal) -> bool:
    if rule.get("value") is not None:
        return shortfall(value, Decimal(rule["value"]), metric.direction) <= 0
    done = progress(value, baseline=metric.baseline_value, target=metric.target_value)
    return done >= Decimal(rule["percent"])


def at_words(rule: Rule, metric: MetricData, value: Decimal) -> str:
    if rule.get("value") is not None:
        return with_unit(value, metric)
    done = progress(value, baseline=metric.baseline_value, target=metric.target_value)
    return f"{plain_number(done)} % of the way"


# 5. A state and a date.
def _state_date_evaluate(rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    metric = data.headline
    if metric is None:
        return Verdict(Judgement.NOT_ENOUGH_DATA, HEADLINE_MISSING, None)
    by_date = dt.date.fromisoformat(rule["by_date"])
    # "By 31 March" holds until the end of that day where the programme meets.
    deadline = start_of(by_date + DAY, data.timezone)
    start = start_of(metric.baseline_date, data.timezone)
    gone = fraction(
        Decimal((now - start).total_seconds()), Decimal((deadline - start).total_seconds())
    )
    needs_words = f"needs {needed_words(rule, metric)} by {by_date:%-d %b %Y}"
    latest = metric.points[0] if metric.points else None
    if now >= deadline:
        if latest is not None and reached(rule, metric, latest.value):
            return Verdict(
                Judgement.OK, f"reached {at_words(rule, metric, latest.value)}", Decimal(0)
            )
        facts = (
            (measurement_fact(latest, metric),)
            if latest
            else ({"kind": "never_measured", "metric": metric.name},)
        )
        at = at_words(rule, metric, latest.value) if latest else "nothing measured"
        return Verdict(
            Judgement.TRIPPING,
            f"{needs_words}; at {at} when the date passed",
            Decimal(1),
            facts=facts,
            severity=(
                shortfall(latest.value, Decimal(rule["value"]), metric.direction)
                if latest is not None and rule.get("value") is not None
                else None
            ),
        )
    gone_words = f"{plain_number((gone * 100).quantize(Decimal(1)))} % of the time gone"
    if latest is None:
        return Verdict(
            Judgement.NOT_ENOUGH_DATA,
            f"{needs_words}; nothing measured yet and {gone_words}",
            gone,
            changes_at=deadline,
        )
    if reached(rule, metric, latest.value):
        return Verdict(
            Judgement.OK,
            f"{needs_words}; reached with {at_words(rule, metric, latest.value)}",
            Decimal(0),
            changes_at=deadline,
        )
    return Verdict(
        Judgement.OK,
        f"{needs_words}; at {at_words(rule, metric, latest.value)} and {gone_words}",
        gone,
        changes_at=deadline,
    )


def _state_date_check(rule: Rule, context: RuleContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    if context.headline is None:
        errors["metric"] = HEADLINE_MISSING
    if (rule.get("value") is None) == (rule.get("percent") is None):
        errors["value"] = (
            "Give either the value the headline must reach or the percent of the way to its "
            "target, one of the two."
        )
    by_date = dt.date.fromisoformat(rule["by_date"])
    if by_date <= context.today:
        errors["by_date"] = (
            f"{by_date:%-d %b %Y} is not in the future: a state and a date promises what the "
            "headline will reach by a date still to come."
        )
    elif by_date > context.today + dt.timedelta(days=3653):
        errors["by_date"] = "Give a date within the next ten years."
    return errors


register_rule_kind(
    RuleKind(
        key="state_and_date",
        label="A state and a date",
        summary="By date D the headline must have reached value V (or P % of the way to its "
        "target); not reached when the day ends → tripped.",
        too_little_data="Before the date with nothing measured it says “not enough data”; "
        "after the date with nothing measured it trips.",
        params=(
            Param("by_date", "date", "By date (D)"),
            Param("value", "decimal", "Value to reach (V)", required=False),
            Param(
                "percent",
                "decimal",
                "Or percent of the way to the target (P)",
                required=False,
                minimum=1,
                maximum=1000,
            ),
        ),
        check=_state_date_check,
        describe=lambda rule, context: (
            f"{metric_name(context.headline)} "
            + (
                f"reaches {needed_words(rule, context.headline)}"
                if context.headline
                else "reaches its mark"
            )
            + f" by {dt.date.fromisoformat(rule['by_date']):%-d %b %Y}"
        ),
        evaluate=_state_date_evaluate,
        needs=lambda rule: Needs(count=1),
    )
)


def _points(value: Decimal) -> str:
    return f"{plain_number(value)} point{'' if value == 1 else 's'}"


def trail_of(point: Point, metric: MetricData, zone: str) -> Decimal:
    """How many points the progress at ``point`` trails the progress expected on its (local)
    day."""
    expected = expected_progress(
        local_date(point.measured_at, zone),
        baseline_date=metric.baseline_date,
        target_date=metric.target_date,
    )
    done = progress(point.value, baseline=metric.baseline_value, target=metric.target_value)
    return expected - done


# 6. Off pace.
def _off_pace_evaluate(rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    metric = data.headline
    if metric is None:
        return Verdict(Judgement.NOT_ENOUGH_DATA, HEADLINE_MISSING, None)
    allowed, needed = Decimal(rule["points"]), int(rule["count"])
    recent = metric.points[:needed]
    trails = [trail_of(p, metric, data.timezone) for p in recent]
    run = run_of(recent, lambda p: trail_of(p, metric, data.timezone) > allowed)
    words = (
        f"{run} of {needed} consecutive measurements more than {plain_number(allowed)} points "
        "behind pace"
        + (f" (latest {_points(trails[0])} behind)" if trails and trails[0] > 0 else "")
    )
    if run >= needed:
        return Verdict(
            Judgement.TRIPPING,
            words,
            Decimal(1),
            facts=tuple(
                measurement_fact(p, metric, behind_pace=plain_number(t))
                for p, t in reversed(list(zip(recent, trails, strict=True)))
            ),
            severity=max(trails),
        )
    return short_of_a_run(words, run=run, needed=needed, have=len(metric.points))


register_rule_kind(
    RuleKind(
        key="off_pace",
        label="Off pace",
        summary="Trips when the headline's progress trails its expected progress (a straight "
        "line from baseline date to target date) by more than P points for N measurements in a "
        "row.",
        too_little_data="With fewer than N measurements it says “not enough data”.",
        params=(
            Param("points", "decimal", "Points behind pace (P)", minimum=1, maximum=100),
            COUNT,
        ),
        check=lambda rule, context: {} if context.headline else {"metric": HEADLINE_MISSING},
        describe=lambda rule, context: (
            f"{metric_name(context.headline)} more than "
            f"{plain_number(Decimal(rule['points']))} points behind pace for {rule['count']} "
            "measurements in a row"
        ),
        evaluate=_off_pace_evaluate,
        needs=lambda rule: Needs(count=int(rule["count"])),
    )
)
