"""The kinds of rule a stop condition may have, in a registry other capabilities add to
(``register_rule_kind``): each kind names its parameters, checks them, says what happens with
too little data, evaluates itself on plain values (``ProgrammeData``) and says how far it is from
tripping. Pure functions; no ORM. The built-in kinds are in ``metric_kinds`` and
``other_kinds``; weekly reviews add "N reviews missed in a row" with a ``load`` of its own.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The longest window a rule may look back over, and the most measurements in a row it counts.
MAX_DAYS = 366
MAX_COUNT = 50
# A value a rule compares with stays within what a measurement may hold.
MAX_VALUE = Decimal(10) ** 13


@dataclass(frozen=True)
class Point:
    """One measurement as the rules see it."""

    id: int
    value: Decimal
    measured_at: dt.datetime


@dataclass(frozen=True)
class MetricData:
    id: int
    name: str
    unit: str
    kind: str
    is_headline: bool
    direction: str
    baseline_value: Decimal
    baseline_date: dt.date
    target_value: Decimal
    target_date: dt.date
    # Newest first; as many as the programme's rules need (``RuleKind.needs``).
    points: tuple[Point, ...] = ()


@dataclass(frozen=True)
class IncidentData:
    id: int
    title: str
    severity: str
    opened_at: dt.datetime


@dataclass(frozen=True)
class ProgrammeData:
    """What a programme's rules judge, loaded in bulk for many programmes at once."""

    programme_id: int
    timezone: str
    created_at: dt.datetime
    cost_envelope: Decimal | None
    currency: str
    metrics: Mapping[int, MetricData]
    # Incidents opened within the longest window the programme's rules look back over.
    incidents: tuple[IncidentData, ...] = ()
    # What a registered kind loaded for itself (its ``load``), by the kind's key.
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def headline(self) -> MetricData | None:
        return next((m for m in self.metrics.values() if m.is_headline), None)

    def as_of(self, moment: dt.datetime) -> "ProgrammeData":
        """The data as it stood at ``moment``: later measurements and incidents left out."""
        metrics = {
            key: replace(metric, points=tuple(p for p in metric.points if p.measured_at <= moment))
            for key, metric in self.metrics.items()
        }
        incidents = tuple(i for i in self.incidents if i.opened_at <= moment)
        return replace(self, metrics=metrics, incidents=incidents)


@dataclass(frozen=True)
class RuleContext:
    """What checking a rule's parameters needs: the programme's metrics, envelope and today."""

    metrics: Mapping[int, MetricData]
    cost_envelope: Decimal | None
    today: dt.date

    @property
    def headline(self) -> MetricData | None:
        return next((m for m in self.metrics.values() if m.is_headline), None)


class Judgement:
    OK = "ok"
    TRIPPING = "tripping"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True)
class Verdict:
    """What a rule says now: a judgement, the distance to tripping in words and as a fraction
    (0 far, 1 tripping), the facts behind it, how bad it is, and when it can next change with no
    new data."""

    judgement: str
    distance: str
    fraction: Decimal | None
    facts: tuple[dict[str, Any], ...] = ()
    severity: Decimal | None = None
    changes_at: dt.datetime | None = None

    @property
    def tripping(self) -> bool:
        return self.judgement == Judgement.TRIPPING


@dataclass(frozen=True)
class Param:
    """One parameter of a rule kind: ``decimal``, ``int``, ``date``, ``metric`` or ``choice``."""

    name: str
    type: str
    label: str
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


Rule = Mapping[str, Any]


@dataclass(frozen=True)
class Needs:
    """What a rule needs loaded: the latest ``count`` measurements of each metric, the
    measurements of the last ``days`` days, and the incidents of the last ``incident_days``."""

    count: int = 0
    days: int = 0
    incident_days: int = 0

    def __or__(self, other: "Needs") -> "Needs":
        return Needs(
            max(self.count, other.count),
            max(self.days, other.days),
            max(self.incident_days, other.incident_days),
        )


@dataclass(frozen=True)
class RuleKind:
    key: str
    label: str
    # In words, with the shape of an example: shown beside the form and in docs.
    summary: str
    # What the rule does with too little data.
    too_little_data: str
    params: tuple[Param, ...]
    # Refusals of a typed rule, by parameter, beyond each parameter's own type and bounds.
    check: Callable[[Rule, RuleContext], dict[str, str]]
    describe: Callable[[Rule, RuleContext], str]
    evaluate: Callable[[Rule, ProgrammeData, dt.datetime], Verdict]
    # What the rule needs loaded to judge.
    needs: Callable[[Rule], "Needs"] = lambda rule: Needs()
    # ``load(programme_ids, now) -> {programme_id: anything}`` for data of the kind's own.
    load: Callable[[list[int], dt.datetime], dict[int, Any]] | None = None


_kinds: dict[str, RuleKind] = {}


def register_rule_kind(kind: RuleKind) -> RuleKind:
    """Add a kind; registering it again is harmless, two kinds under one key are refused."""
    known = _kinds.get(kind.key)
    if known is not None and known != kind:
        raise ImproperlyConfigured(f"Two stop-condition rule kinds are registered as “{kind.key}”.")
    _kinds[kind.key] = kind
    return kind


def _load_builtin_kinds() -> None:
    from . import metric_kinds, other_kinds, pace_kinds  # noqa: F401  (importing registers them)


def rule_kinds() -> list[RuleKind]:
    _load_builtin_kinds()
    return list(_kinds.values())


def rule_kind(key: str) -> RuleKind | None:
    _load_builtin_kinds()
    return _kinds.get(key)


def all_params() -> list[Param]:
    """Every parameter any kind takes, each name once (the API's and the form's fields)."""
    seen: dict[str, Param] = {}
    for kind in rule_kinds():
        for param in kind.params:
            seen.setdefault(param.name, param)
    return list(seen.values())


def _typed(param: Param, raw: Any, context: RuleContext) -> tuple[Any, str | None]:
    """``raw`` as the parameter's type (its JSON form), or a refusal."""
    if param.type in ("int", "metric"):
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            return None, f"{param.label} must be a whole number."
        try:
            value = int(raw)
        except ValueError:
            return None, f"{param.label} must be a whole number."
        if param.type == "metric":
            if value not in context.metrics:
                return None, "That metric is not one of this programme's metrics."
            return value, None
        if param.minimum is not None and value < param.minimum:
            return None, f"{param.label} must be at least {param.minimum}."
        if param.maximum is not None and value > param.maximum:
            return None, f"{param.label} must be at most {param.maximum}."
        return value, None
    if param.type == "decimal":
        try:
            number = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            return None, f"{param.label} must be a number."
        if not number.is_finite() or abs(number) >= MAX_VALUE:
            return None, f"{param.label} must be a number below {MAX_VALUE:,}."
        if param.minimum is not None and number < param.minimum:
            return None, f"{param.label} must be at least {param.minimum}."
        if param.maximum is not None and number > param.maximum:
            return None, f"{param.label} must be at most {param.maximum}."
        return format(number.normalize(), "f"), None
    if param.type == "date":
        if isinstance(raw, dt.date):
            return raw.isoformat(), None
        try:
            return dt.date.fromisoformat(str(raw)).isoformat(), None
        except ValueError:
            return None, f"{param.label} must be a date (YYYY-MM-DD)."
    keys = [key for key, _ in param.choices]
    if raw not in keys:
        return None, f"{param.label} must be one of: {', '.join(keys)}."
    return raw, None


def clean_rule(kind_key: str, given: Mapping[str, Any], context: RuleContext) -> dict[str, Any]:
    """The rule of kind ``kind_key`` from ``given`` (values as a form or JSON gives them), in its
    stored JSON form. Raises ``RuleRefused`` with every refusal by parameter."""
    kind = rule_kind(kind_key)
    if kind is None:
        known = ", ".join(k.key for k in rule_kinds())
        raise RuleRefused({"kind": f"“{kind_key}” is not a kind of rule. Kinds are: {known}."})
    rule: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for param in kind.params:
        raw = given.get(param.name)
        if raw is None or raw == "":
            if param.required:
                errors[param.name] = f"{param.label} is needed for this kind of rule."
            continue
        value, refusal = _typed(param, raw, context)
        if refusal:
            errors[param.name] = refusal
        else:
            rule[param.name] = value
    if not errors:
        errors = kind.check(rule, context)
    if errors:
        raise RuleRefused(errors)
    return rule


class RuleRefused(Exception):
    """A rule's parameters are refused; ``errors`` says why, by parameter."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())))
        self.errors = errors


def describe(kind_key: str, rule: Rule, context: RuleContext) -> str:
    kind = rule_kind(kind_key)
    return kind.describe(rule, context) if kind else kind_key


def evaluate(kind_key: str, rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    """The verdict of a stored rule now. A kind no app registers any more cannot judge."""
    kind = rule_kind(kind_key)
    if kind is None:
        return Verdict(Judgement.NOT_ENOUGH_DATA, f"No app evaluates “{kind_key}” rules.", None)
    return kind.evaluate(rule, data, now)


def needs(rules: list[tuple[str, Rule]]) -> Needs:
    """What ``rules`` together need loaded."""
    total = Needs(count=1)
    for kind_key, rule in rules:
        kind = rule_kind(kind_key)
        if kind is not None:
            total = total | kind.needs(rule)
    return total


def fraction(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """``part / whole`` between 0 and 1, to four places."""
    if not whole:
        return Decimal(1)
    value = Decimal(part) / Decimal(whole)
    return min(max(value, Decimal(0)), Decimal(1)).quantize(Decimal("0.0001"))
