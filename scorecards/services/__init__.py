"""Writes to scorecards, one module per noun: metrics, measurements, assessments, and the alerts
they raise. Each runs in one transaction with its audit event and its alerts, and refuses with a
``DomainError`` whose message is fit for a user."""

from .alerts import (
    check_cost_envelope,
    reassess,
)
from .assessments import (
    record_assessment,
)
from .measurements import (
    MAX_BATCH,
    IngestConflict,
    IngestResult,
    MeasurementsRefused,
    NewMeasurement,
    conflict_message,
    measurement_refusal,
    record_measurement,
    record_measurements,
    source_for,
)
from .metrics import (
    AGREED_FIELDS,
    METRIC_DATES,
    agreed_change_refusal,
    check_metric,
    create_metric,
    delete_metric,
    promote_baseline,
    update_metric,
)

__all__ = [
    "AGREED_FIELDS",
    "MAX_BATCH",
    "METRIC_DATES",
    "IngestConflict",
    "IngestResult",
    "MeasurementsRefused",
    "NewMeasurement",
    "agreed_change_refusal",
    "check_cost_envelope",
    "check_metric",
    "conflict_message",
    "create_metric",
    "delete_metric",
    "measurement_refusal",
    "promote_baseline",
    "reassess",
    "record_assessment",
    "record_measurement",
    "record_measurements",
    "source_for",
    "update_metric",
]
