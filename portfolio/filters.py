"""The dashboard's view as the URL states it: filters, search and sort, read the same way by the
page, the CSV export, the board pack and the API."""

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms

from programmes.models import Stage

from . import rules
from .selectors import Row

STAGE_ORDER = {value: index for index, value in enumerate(Stage.values)}


def _progress(row: Row) -> Decimal | float:
    status = row.scorecard.status
    return status.progress if status else -math.inf


def _headroom(row: Row) -> Decimal | float:
    headroom = row.scorecard.economics.headroom
    return math.inf if headroom is None else headroom


def _stop_distance(row: Row) -> tuple[int, Decimal | float]:
    closest = row.closest_condition
    nearest = closest.distance_fraction if closest and closest.distance_fraction is not None else 0
    return (-len(row.tripped), -nearest)


# Worst first: a lapsed sign-off, then one to re-attest, then none at all.
SIGNOFF_RANK = {"expired": 0, "reattest": 1, "none": 2, "pending": 3, "valid": 4}


def _readiness(row: Row) -> tuple[bool, int, float]:
    readiness = row.readiness
    met = readiness.criteria_met / readiness.criteria_total if readiness.criteria_total else 0.0
    return (not readiness.lapsed, SIGNOFF_RANK[readiness.signoff], met)


# Each column's sort key, ascending; "risk" is the documented risk order, worst first.
SORT_KEYS: dict[str, tuple[str, Callable[[Row], Any]]] = {
    "risk": ("Risk", lambda row: rules.risk_key(row.reasons, row.programme.name)),
    "name": ("Programme", lambda row: row.programme.name.casefold()),
    "business_unit": ("Business unit", lambda row: row.programme.business_unit.casefold()),
    "stage": ("Stage", lambda row: STAGE_ORDER.get(row.programme.stage, 0)),
    "progress": ("Progress", _progress),
    "status": ("RAG", lambda row: rules.STATUS_RANK[row.status]),
    "readiness": ("Readiness", _readiness),
    "conditions": ("Stop conditions", _stop_distance),
    "incidents": ("Incidents", lambda row: -row.incidents.open_total),
    "oncall": ("On call", lambda row: (not row.coverage.has_gap, len(row.coverage.on_call_now))),
    "reviews": ("Last review", lambda row: (-row.reviews.missed_streak, -row.overdue_actions)),
    "cost": ("Cost", _headroom),
    "owners": ("Owners", lambda row: -len(row.missing_owners)),
}
BUCKET_CHOICES = [("", "Any"), *rules.BUCKETS]
STAGE_CHOICES = [("", "Any stage"), *Stage.choices]
SORT_CHOICES = [(key, label) for key, (label, _) in SORT_KEYS.items()]


class DashboardQuery(forms.Form):
    """The dashboard's filters, search and sort; anything out of range is an error, never a 500."""

    q = forms.CharField(required=False, max_length=100, label="Search")
    stage = forms.ChoiceField(required=False, choices=STAGE_CHOICES)
    business_unit = forms.CharField(required=False, max_length=120, label="Business unit")
    person = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, label="Owner or sponsor"
    )
    bucket = forms.ChoiceField(required=False, choices=BUCKET_CHOICES)
    attention = forms.BooleanField(required=False, label="Needs attention")
    pilots = forms.BooleanField(required=False, label="Pilots whatever their stage")
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)
    desc = forms.BooleanField(required=False, label="Descending")
    changes = forms.BooleanField(required=False, label="Show what changed since Monday")


def apply(rows: list[Row], data: dict[str, Any], *, with_bucket: bool = True) -> list[Row]:
    """The rows that pass the cleaned filters ``data``, in its sort order."""
    query = (data.get("q") or "").casefold()
    if query:
        rows = [row for row in rows if query in row.programme.name.casefold()]
    if data.get("stage"):
        rows = [row for row in rows if row.programme.stage == data["stage"]]
    if data.get("business_unit"):
        unit = data["business_unit"].casefold()
        rows = [row for row in rows if row.programme.business_unit.casefold() == unit]
    if data.get("person"):
        person = data["person"]
        rows = [
            row
            for row in rows
            if person in (row.programme.programme_owner_id, row.programme.executive_sponsor_id)
        ]
    if data.get("attention"):
        rows = [row for row in rows if row.needs_attention]
    if data.get("pilots"):
        rows = [row for row in rows if row.is_pilot]
    if with_bucket and data.get("bucket"):
        rows = [row for row in rows if data["bucket"] in row.buckets]
    _, key = SORT_KEYS[data.get("sort") or "risk"]
    return sorted(rows, key=key, reverse=bool(data.get("desc")))
