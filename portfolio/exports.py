"""The dashboard's rows as plain records, CSV and the board pack's Markdown: one flattening of a
row that the CSV export and the API share."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from programmes.numbers import plain_number

from . import rules
from .changes import Change
from .selectors import Row


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain_number(value)


def _moment(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def row_record(row: Row) -> dict[str, Any]:
    """Everything a row shows, as JSON-ready plain values."""
    programme, scorecard = row.programme, row.scorecard
    headline, status, economics, slip = (
        scorecard.headline,
        scorecard.status,
        scorecard.economics,
        scorecard.slip,
    )
    return {
        "slug": programme.slug,
        "name": programme.name,
        "business_unit": programme.business_unit,
        "stage": programme.stage,
        "is_pilot": row.is_pilot,
        "status": row.status,
        "needs_attention": row.needs_attention,
        "reasons": [{"key": r.key, "text": r.text} for r in row.reasons],
        "headline": None
        if headline is None or status is None
        else {
            "name": headline.name,
            "unit": headline.unit,
            "current": _number(status.current),
            "measured_at": _moment(status.current_at),
            "baseline": _number(headline.baseline_value),
            "target": _number(headline.target_value),
            "target_date": headline.target_date.isoformat(),
            "progress": _number(status.progress),
            "expected_progress": _number(status.expected_progress),
            "computed_rag": status.rag,
            "rag_override": status.rag_override or None,
            "override_reason": status.override_reason or None,
            "confidence": status.confidence,
            "stale": status.stale,
            "regression": status.regression,
            "slip": None
            if slip is None
            else {
                "original_target": _number(slip.original_value),
                "original_target_date": slip.original_date.isoformat(),
                "progress_against_original": _number(slip.original_progress),
                "changed_at": _moment(slip.changed_at),
            },
        },
        "stop_conditions": {
            "tripped": [c.text for c in row.tripped],
            "closest": row.closest_condition.distance if row.closest_condition else None,
            "closest_fraction": _number(
                row.closest_condition.distance_fraction if row.closest_condition else None
            ),
        },
        "incidents": {
            "open_by_severity": dict(sorted(row.incidents.open_by_severity.items())),
            "report_due_at": _moment(row.incidents.report_due_at),
        },
        "oncall": {
            "has_rotation": row.coverage.has_rotation,
            "on_call_now": [person.name for person in row.coverage.on_call_now],
            "gap_from": _moment(row.coverage.gap_from),
        },
        "cost": {
            "monthly_cost": _number(
                economics.projected_monthly_cost
                if economics.projected_monthly_cost is not None
                else economics.current_monthly_cost
            ),
            "envelope": _number(economics.envelope),
            "over_envelope": economics.breached,
        },
        "readiness": {
            "criteria_met": row.readiness.criteria_met,
            "criteria_total": row.readiness.criteria_total,
            "signoff": row.readiness.signoff,
            "valid_until": _moment(row.readiness.valid_until),
            "passed": row.readiness.passed,
        },
        "reviews": {
            "last": row.reviews.last_status or None,
            "last_scheduled_for": _moment(row.reviews.last_scheduled_for),
            "missed_in_a_row": row.reviews.missed_streak,
        },
        "overdue_actions": row.overdue_actions,
        "programme_owner": str(programme.programme_owner or "") or None,
        "executive_sponsor": str(programme.executive_sponsor or "") or None,
        "missing_owners": row.missing_owners,
    }


CSV_COLUMNS = (
    "programme",
    "business unit",
    "stage",
    "pilot",
    "status",
    "why here",
    "headline",
    "current",
    "baseline",
    "target",
    "target date",
    "progress %",
    "expected %",
    "computed RAG",
    "owner's RAG",
    "confidence",
    "original target",
    "stop conditions tripped",
    "closest stop condition",
    "open SEV1",
    "open SEV2",
    "open SEV3",
    "open SEV4",
    "report due",
    "criteria met",
    "criteria",
    "sign-off",
    "sign-off valid until",
    "on call now",
    "on-call gap from",
    "last review",
    "last review scheduled for",
    "reviews missed in a row",
    "overdue actions",
    "monthly cost",
    "envelope",
    "programme owner",
    "missing owners",
)


def csv_text(rows: list[Row]) -> str:
    """The rows as CSV, one line each, in their order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        record = row_record(row)
        headline = record["headline"] or {}
        slip = headline.get("slip") or {}
        severities = record["incidents"]["open_by_severity"]
        writer.writerow(
            [
                record["name"],
                record["business_unit"],
                row.programme.get_stage_display(),
                "yes" if record["is_pilot"] else "no",
                rules.STATUS_LABELS[row.status],
                row.reason_text,
                headline.get("name", ""),
                headline.get("current") or "",
                headline.get("baseline") or "",
                headline.get("target") or "",
                headline.get("target_date") or "",
                headline.get("progress") or "",
                headline.get("expected_progress") or "",
                headline.get("computed_rag") or "",
                headline.get("rag_override") or "",
                headline.get("confidence") or "",
                slip.get("original_target") or "",
                "; ".join(record["stop_conditions"]["tripped"]),
                record["stop_conditions"]["closest"] or "",
                *(severities.get(sev, 0) for sev in ("sev1", "sev2", "sev3", "sev4")),
                record["incidents"]["report_due_at"] or "",
                record["readiness"]["criteria_met"],
                record["readiness"]["criteria_total"],
                rules.SIGNOFF_LABELS[row.readiness.signoff],
                record["readiness"]["valid_until"] or "",
                "; ".join(record["oncall"]["on_call_now"]),
                record["oncall"]["gap_from"] or "",
                record["reviews"]["last"] or "",
                record["reviews"]["last_scheduled_for"] or "",
                record["reviews"]["missed_in_a_row"],
                record["overdue_actions"],
                record["cost"]["monthly_cost"] or "",
                record["cost"]["envelope"] or "",
                record["programme_owner"] or "",
                "; ".join(record["missing_owners"]),
            ]
        )
    return out.getvalue()


def board_pack_markdown(
    blocks: list[tuple[Row, list[Change]]], *, now: dt.datetime, since: dt.datetime
) -> str:
    """The board pack as Markdown: a heading per programme, its standing and the week's
    changes."""
    lines = [f"# Portfolio board pack, {now:%d %b %Y %H:%M} UTC", ""]
    for row, changes in blocks:
        record = row_record(row)
        headline = record["headline"]
        lines += [f"## {record['name']}", ""]
        lines.append(
            f"- Stage: {row.programme.get_stage_display()}"
            + (" (a pilot, whatever its stage says)" if row.is_pilot else "")
        )
        lines.append(f"- Status: {rules.STATUS_LABELS[row.status]}")
        lines.append(f"- Why here: {row.reason_text or 'nothing needs attention'}")
        readiness = record["readiness"]
        lines.append(
            f"- Readiness: {readiness['criteria_met']} of {readiness['criteria_total']} criteria "
            f"met; {row.signoff_text}"
        )
        if headline:
            lines.append(
                f"- {headline['name']}: {headline['current'] or 'not measured'} "
                f"(baseline {headline['baseline']}, target {headline['target']} by "
                f"{headline['target_date']}), {headline['progress']}% of the way, "
                f"{headline['expected_progress']}% expected"
            )
            if headline["slip"]:
                lines.append(
                    f"- Target moved since agreed: was {headline['slip']['original_target']} by "
                    f"{headline['slip']['original_target_date']}"
                )
        else:
            lines.append("- No headline metric")
        lines += ["", f"Changes since {since:%d %b %Y}:", ""]
        lines += [f"- {change.at:%d %b %H:%M} {change.text}" for change in changes] or ["- none"]
        lines.append("")
    return "\n".join(lines)
