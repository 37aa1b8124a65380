"""Incident rules, in one place: the status lifecycle, severity from alert labels, postmortem and
reporting deadlines, MTTA/MTTR, and what an Alertmanager webhook must look like. Pure functions;
no ORM."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import IncidentStatus, SeriousKind, Severity

ORDER = [
    IncidentStatus.TRIGGERED,
    IncidentStatus.ACKNOWLEDGED,
    IncidentStatus.MITIGATED,
    IncidentStatus.RESOLVED,
]
# Severities whose incidents page a second person when nobody acknowledges, and need a
# postmortem.
MAJOR = frozenset({Severity.SEV1, Severity.SEV2})
ESCALATE_AFTER = dt.timedelta(minutes=15)
# Response times (MTTA, MTTR) are measured over this window unless the caller names one.
MEASURE_WINDOW = dt.timedelta(days=90)
POSTMORTEM_WORKING_DAYS = 5
REPORTING_DAYS = {SeriousKind.STANDARD: 15, SeriousKind.DEATH: 10, SeriousKind.WIDESPREAD: 2}
# The harm a serious incident of a special kind did, as it reads after "serious incident: ".
SERIOUS_HARMS = {
    SeriousKind.DEATH: "death of a person",
    SeriousKind.WIDESPREAD: "widespread or critical-infrastructure harm",
}

# Alertmanager's `severity` label → Keel's severity. Anything else (or no label) is SEV3.
SEVERITY_LABELS = {
    "critical": Severity.SEV1,
    "page": Severity.SEV1,
    "sev1": Severity.SEV1,
    "p1": Severity.SEV1,
    "major": Severity.SEV2,
    "high": Severity.SEV2,
    "error": Severity.SEV2,
    "sev2": Severity.SEV2,
    "p2": Severity.SEV2,
    "warning": Severity.SEV3,
    "minor": Severity.SEV3,
    "sev3": Severity.SEV3,
    "p3": Severity.SEV3,
    "info": Severity.SEV4,
    "low": Severity.SEV4,
    "sev4": Severity.SEV4,
    "p4": Severity.SEV4,
}
DEFAULT_ALERT_SEVERITY = Severity.SEV3


def transition_refusal(current: str, wanted: str, reason: str) -> str | None:
    """Why moving an incident from ``current`` to ``wanted`` is refused, or None.

    Forward moves may skip a step (a resolved incident was also acknowledged and mitigated);
    going back (reopening) needs a reason.
    """
    if wanted not in IncidentStatus.values:
        return f"“{wanted}” is not a status. Statuses are: {', '.join(IncidentStatus.values)}."
    if wanted == current:
        return f"The incident is already {IncidentStatus(current).label.lower()}."
    if ORDER.index(IncidentStatus(wanted)) < ORDER.index(IncidentStatus(current)) and not reason:
        return (
            f"Moving an incident back from {IncidentStatus(current).label.lower()} to "
            f"{IncidentStatus(wanted).label.lower()} needs a reason."
        )
    return None


def statuses_passed(current: str, wanted: str) -> list[str]:
    """The statuses a forward move passes through, ``wanted`` included."""
    start, end = ORDER.index(IncidentStatus(current)), ORDER.index(IncidentStatus(wanted))
    return [status.value for status in ORDER[start + 1 : end + 1]]


def severity_from_label(label: str | None) -> str:
    return SEVERITY_LABELS.get((label or "").strip().lower(), DEFAULT_ALERT_SEVERITY)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """``count`` working days (Monday to Friday) after ``day``."""
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def postmortem_due(resolved_on: dt.date) -> dt.date:
    return add_working_days(resolved_on, POSTMORTEM_WORKING_DAYS)


def report_deadline(kind: str, since: dt.datetime) -> dt.datetime:
    return since + dt.timedelta(days=REPORTING_DAYS[SeriousKind(kind)])


def serious_detail(kind: str) -> str:
    """What follows the words "serious incident" in a sentence: the harm, when it is not the
    standard kind, and the days there are to report it ("(15 days to report)")."""
    days = f"({REPORTING_DAYS[SeriousKind(kind)]} days to report)"
    harm = SERIOUS_HARMS.get(SeriousKind(kind))
    return f": {harm} {days}" if harm else f" {days}"


@dataclass(frozen=True)
class Timing:
    """One incident's times, as the measures need them."""

    severity: str
    opened_at: dt.datetime
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None


@dataclass(frozen=True)
class Measures:
    severity: str
    count: int
    mtta_minutes: float | None
    mttr_minutes: float | None


def _mean_minutes(durations: Sequence[dt.timedelta]) -> float | None:
    if not durations:
        return None
    return round(sum(d.total_seconds() for d in durations) / len(durations) / 60, 1)


def measures(timings: Iterable[Timing]) -> list[Measures]:
    """MTTA (opened → acknowledged) and MTTR (opened → resolved) per severity, in minutes, over
    the incidents that reached each point; then the same over all severities."""
    by_severity: dict[str, list[Timing]] = {value: [] for value in Severity.values}
    for timing in timings:
        by_severity[timing.severity].append(timing)
    rows = []
    for severity, group in [
        *by_severity.items(),
        ("all", [t for g in by_severity.values() for t in g]),
    ]:
        rows.append(
            Measures(
                severity=severity,
                count=len(group),
                mtta_minutes=_mean_minutes(
                    [t.acknowledged_at - t.opened_at for t in group if t.acknowledged_at]
                ),
                mttr_minutes=_mean_minutes(
                    [t.resolved_at - t.opened_at for t in group if t.resolved_at]
                ),
            )
        )
    return rows


# Alertmanager ------------------------------------------------------------------------------------


class NotAlertmanager(ValueError):
    """The body is not an Alertmanager webhook (version 4); the message says what is wrong."""


@dataclass(frozen=True)
class AlertGroup:
    group_key: str
    status: str  # "firing" or "resolved"
    title: str
    severity: str
    description: str
    alerts: list[dict[str, Any]]
    digest: str  # the same notification sent again has the same digest


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_JSON_KINDS = {
    bool: "true or false",
    int: "a number",
    float: "a number",
    type(None): "null",
    list: "a list",
    dict: "an object",
}


def _refuse_non_string_values(labels: dict[str, Any], where: str) -> None:
    """Alertmanager's labels and annotations are strings; anything else is not its payload."""
    for name, value in labels.items():
        if not isinstance(value, str):
            raise NotAlertmanager(
                f"{where}: `{name[:60]}` must be a string, as Alertmanager sends it, "
                f"not {_JSON_KINDS.get(type(value), 'that')}."
            )


def parse_alertmanager(payload: Any) -> AlertGroup:
    """Read an Alertmanager webhook body, or raise ``NotAlertmanager`` saying why not."""
    if not isinstance(payload, dict):
        raise NotAlertmanager("The body must be a JSON object (Alertmanager's webhook payload).")
    if str(payload.get("version")) != "4":
        raise NotAlertmanager(
            'Not an Alertmanager webhook: `version` must be "4" (the webhook format Keel reads).'
        )
    group_key = payload.get("groupKey")
    if not isinstance(group_key, str) or not group_key:
        raise NotAlertmanager("Not an Alertmanager webhook: `groupKey` is missing.")
    status = payload.get("status")
    if status not in ("firing", "resolved"):
        raise NotAlertmanager("Not an Alertmanager webhook: `status` must be firing or resolved.")
    alerts = payload.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise NotAlertmanager("Not an Alertmanager webhook: `alerts` must be a non-empty list.")
    for position, alert in enumerate(alerts):
        if not isinstance(alert, dict) or not isinstance(alert.get("labels"), dict):
            raise NotAlertmanager(f"Alert {position + 1} has no `labels` object.")
        if alert.get("status") not in ("firing", "resolved"):
            raise NotAlertmanager(f"Alert {position + 1}: `status` must be firing or resolved.")
        _refuse_non_string_values(alert["labels"], f"Alert {position + 1}'s `labels`")
        _refuse_non_string_values(
            _object(alert.get("annotations")), f"Alert {position + 1}'s `annotations`"
        )
    for name in ("groupLabels", "commonLabels", "commonAnnotations"):
        _refuse_non_string_values(_object(payload.get(name)), f"`{name}`")
    common_labels = _object(payload.get("commonLabels"))
    annotations = _object(payload.get("commonAnnotations"))
    first_labels = alerts[0]["labels"]
    name = common_labels.get("alertname") or first_labels.get("alertname") or "Alert"
    title = str(annotations.get("summary") or name)[:200]
    severity = severity_from_label(common_labels.get("severity") or first_labels.get("severity"))
    description = str(annotations.get("description") or "")
    # What makes two deliveries "the same notification": the group, its status and each alert's
    # identity and state. Alertmanager's repeat_interval re-sends exactly this.
    identity = [
        [
            alert.get("fingerprint") or json.dumps(alert["labels"], sort_keys=True),
            alert.get("status"),
            alert.get("startsAt"),
            alert.get("endsAt") if alert.get("status") == "resolved" else None,
        ]
        for alert in alerts
    ]
    digest = hashlib.sha256(
        json.dumps([group_key, status, sorted(identity, key=str)], sort_keys=True).encode()
    ).hexdigest()
    return AlertGroup(group_key, status, title, severity, description, alerts, digest)
