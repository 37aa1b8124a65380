"""Reading measurements from a CSV file, with a report of every row that cannot be read."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date, parse_datetime

from .services import NewMeasurement

MAX_BYTES = 5 * 1024 * 1024
# One file is one all-or-nothing batch, so it holds at most as many rows as one batch may.
# A file the upload page reads at once (the API takes larger batches: services.MAX_BATCH).
MAX_ROWS = 5000
REQUIRED_COLUMNS = ("value", "measured_at")
OPTIONAL_COLUMNS = ("external_id", "model_version", "note")


@dataclass
class CsvReport:
    """What a CSV holds: the measurements read, and each refused row's line number and why."""

    measurements: list[NewMeasurement] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not self.problems


def _parse_time(text: str) -> dt.datetime | None:
    text = text.strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = None if day is None else dt.datetime.combine(day, dt.time())
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def read_measurements(content: bytes) -> CsvReport:
    """Parse ``content``; times without a zone are UTC. Nothing is saved here."""
    report = CsvReport()
    if len(content) > MAX_BYTES:
        report.error = f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it."
        return report
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error = "The file is not UTF-8 text. Save it as CSV (UTF-8)."
        return report
    reader = csv.DictReader(io.StringIO(text))
    columns = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        report.error = (
            f"The first line must name the columns; missing: {', '.join(missing)}. "
            f"Expected value, measured_at and optionally {', '.join(OPTIONAL_COLUMNS)}."
        )
        return report
    reader.fieldnames = columns
    rows = [(reader.line_num, row) for row in reader]
    if len(rows) > MAX_ROWS:
        report.error = (
            f"The file has {len(rows):,} rows; at most {MAX_ROWS:,} are imported at once. Nothing "
            "was imported: split it into files of at most that many rows."
        )
        return report
    for line, row in rows:
        raw_value = (row.get("value") or "").strip()
        try:
            value = Decimal(raw_value)
        except InvalidOperation:
            report.problems.append((line, f"value “{raw_value}” is not a number"))
            continue
        if not value.is_finite():
            report.problems.append((line, f"value “{raw_value}” is not a number"))
            continue
        raw_time = row.get("measured_at") or ""
        measured_at = _parse_time(raw_time)
        if measured_at is None:
            report.problems.append(
                (line, f"measured_at “{raw_time}” is not a date or time (use 2026-11-24T09:00Z)")
            )
            continue
        external_id = (row.get("external_id") or "").strip()
        if len(external_id) > 200:
            report.problems.append((line, "external_id is longer than 200 characters"))
            continue
        report.measurements.append(
            NewMeasurement(
                value=value,
                measured_at=measured_at,
                external_id=external_id,
                model_version=(row.get("model_version") or "").strip()[:200],
                note=(row.get("note") or "").strip(),
            )
        )
        report.lines.append(line)
    if not report.measurements and not report.problems:
        report.error = "The file has no rows under its header."
    return report
