"""The rule kinds that judge more than one metric: incidents in a window, and cost."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from incidents.models import Severity
from programmes.numbers import plain_number
from scorecards.rules import unit_economics

from . import (
    MAX_DAYS,
    Judgement,
    Needs,
    Param,
    ProgrammeData,
    Rule,
    RuleContext,
    RuleKind,
    Verdict,
    fraction,
    register_rule_kind,
)
from .metric_kinds import DAY, measurement_fact

SEVERITIES = tuple(Severity.choices)
COST_PER_TASK = "cost_per_task"
MONTHLY_COST = "monthly_cost"


def _severity_words(severity: str) -> str:
    label = severity.upper()
    return label if severity == Severity.SEV1 else f"{label}-or-worse"


# 2. At least N incidents of severity S or worse within D days.
def _incidents_evaluate(rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    needed, worst, days = int(rule["count"]), rule["severity"], int(rule["days"])
    since = now - days * DAY
    # SEV1 is the worst, so "S or worse" is a severity that sorts at or before S.
    counted = [i for i in data.incidents if i.opened_at > since and i.severity <= worst]
    changes_at = min(i.opened_at for i in counted) + days * DAY if counted else None
    words = f"{len(counted)} of {needed} {_severity_words(worst)} incidents in the last {days} days"
    facts = tuple(
        {
            "kind": "incident",
            "id": i.id,
            "title": i.title,
            "severity": i.severity,
            "opened_at": i.opened_at.isoformat(),
        }
        for i in sorted(counted, key=lambda i: i.opened_at)
    )
    if len(counted) >= needed:
        return Verdict(
            Judgement.TRIPPING,
            words,
            Decimal(1),
            facts=facts,
            severity=Decimal(len(counted)),
            changes_at=changes_at,
        )
    if data.created_at > since:
        known = max((now - data.created_at) // DAY, 0)
        grown_up = data.created_at + days * DAY
        return Verdict(
            Judgement.NOT_ENOUGH_DATA,
            f"{words}; Keel has known the programme for {known} of those {days} days",
            fraction(len(counted), needed),
            severity=Decimal(len(counted)),
            changes_at=min(grown_up, changes_at) if changes_at else grown_up,
        )
    return Verdict(
        Judgement.OK,
        words,
        fraction(len(counted), needed),
        severity=Decimal(len(counted)),
        changes_at=changes_at,
    )


register_rule_kind(
    RuleKind(
        key="incidents",
        label="N incidents of severity S or worse within D days",
        summary="Trips when at least N incidents of severity S or worse were opened in the "
        "last D days.",
        too_little_data="Until Keel has known the programme for D days it says “not enough "
        "data”, unless N incidents have already happened.",
        params=(
            Param("count", "int", "Incidents (N)", minimum=1, maximum=100),
            Param("severity", "choice", "Severity (S) or worse", choices=SEVERITIES),
            Param("days", "int", "Days (D)", minimum=1, maximum=MAX_DAYS),
        ),
        check=lambda rule, context: {},
        describe=lambda rule, context: (
            f"{rule['count']} {_severity_words(rule['severity'])} incidents within "
            f"{rule['days']} days"
        ),
        evaluate=_incidents_evaluate,
        needs=lambda rule: Needs(incident_days=int(rule["days"])),
    )
)


def _cost_check(rule: Rule, context: RuleContext) -> dict[str, str]:
    kinds = {m.kind for m in context.metrics.values()}
    if "cost_per_task" not in kinds:
        return {"measure": "The programme has no cost-per-task metric for this rule to judge."}
    if rule["measure"] == MONTHLY_COST and "task_volume" not in kinds:
        return {
            "measure": "The projected monthly cost needs a tasks-per-month metric; the programme "
            "has none."
        }
    if rule.get("limit") is None:
        if rule["measure"] == COST_PER_TASK:
            return {"limit": "Give the cost per task that is too much."}
        if context.cost_envelope is None:
            return {
                "limit": "The programme has no cost envelope: give a limit, or set the envelope "
                "first."
            }
    return {}


# 3. Cost per task, or projected monthly cost, over a value or over the envelope.
def _cost_evaluate(rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    cost_metric = next((m for m in data.metrics.values() if m.kind == "cost_per_task"), None)
    volume_metric = next((m for m in data.metrics.values() if m.kind == "task_volume"), None)
    if cost_metric is None or not cost_metric.points:
        return Verdict(Judgement.NOT_ENOUGH_DATA, "no cost per task measured yet", None)
    latest = cost_metric.points[0]
    facts: list[dict[str, Any]] = [measurement_fact(latest, cost_metric)]
    if rule["measure"] == COST_PER_TASK:
        value, what = latest.value, "cost per task"
    else:
        if volume_metric is None:
            return Verdict(Judgement.NOT_ENOUGH_DATA, "no tasks-per-month metric", None)
        volume = volume_metric.points[0] if volume_metric.points else None
        economics = unit_economics(
            cost_per_task=latest.value,
            current_volume=volume.value if volume else None,
            projected_volume=volume_metric.target_value,
            envelope=data.cost_envelope,
        )
        projected = economics.projected_monthly_cost or economics.current_monthly_cost
        if projected is None:
            return Verdict(Judgement.NOT_ENOUGH_DATA, "no task volume to project from", None)
        value, what = projected, "projected monthly cost"
        if volume is not None:
            facts.append(measurement_fact(volume, volume_metric))
    if rule.get("limit") is not None:
        limit, of_what = Decimal(rule["limit"]), f"the limit {plain_number(Decimal(rule['limit']))}"
    elif data.cost_envelope is not None:
        limit, of_what = data.cost_envelope, "the envelope"
    else:
        return Verdict(Judgement.NOT_ENOUGH_DATA, "the programme has no cost envelope now", None)
    share = (value * 100 / limit).quantize(Decimal(1), ROUND_HALF_UP) if limit else Decimal(100)
    words = (
        f"{what} at {plain_number(share)} % of {of_what} "
        f"({plain_number(value.quantize(Decimal('0.01')))} of {plain_number(limit)} "
        f"{data.currency})"
    )
    if value > limit:
        facts.append({"kind": "limit", "value": plain_number(limit), "currency": data.currency})
        return Verdict(Judgement.TRIPPING, words, Decimal(1), facts=tuple(facts), severity=value)
    return Verdict(Judgement.OK, words, fraction(value, limit), severity=value)


register_rule_kind(
    RuleKind(
        key="cost",
        label="Cost over a limit or the envelope",
        summary="Trips when the latest cost per task, or the projected monthly cost (cost per "
        "task × projected volume), is over a limit, or over the programme's cost envelope when "
        "no limit is given.",
        too_little_data="With no cost per task measured (or no volume to project from) it says "
        "“not enough data”.",
        params=(
            Param(
                "measure",
                "choice",
                "Cost measured",
                choices=(
                    (COST_PER_TASK, "Cost per task"),
                    (MONTHLY_COST, "Projected monthly cost"),
                ),
            ),
            Param(
                "limit",
                "decimal",
                "Limit",
                required=False,
                minimum=0,
                help="Left out for the projected monthly cost: the programme's cost envelope.",
            ),
        ),
        check=_cost_check,
        describe=lambda rule, context: (
            ("cost per task" if rule["measure"] == COST_PER_TASK else "projected monthly cost")
            + " over "
            + (
                plain_number(Decimal(rule["limit"]))
                if rule.get("limit") is not None
                else "the cost envelope"
            )
        ),
        evaluate=_cost_evaluate,
        needs=lambda rule: Needs(count=1),
    )
)
