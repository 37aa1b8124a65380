"""The dry run: what a rule, not saved, says now and would have said over the last 90 days."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from programmes.models import Programme

from ..stop_condition_rules import Needs, needs
from ..stop_condition_rules.history import DRY_RUN_DAYS, History, replay
from .stop_condition_data import programme_data


def dry_run(
    programme: Programme, rule_kind: str, rule: Mapping[str, Any], *, now: dt.datetime
) -> History:
    """``rule`` (already checked, in its stored form) replayed on the programme's data."""
    wanted = needs([(rule_kind, rule)])
    loaded = wanted | Needs(
        days=DRY_RUN_DAYS + wanted.days + 30, incident_days=DRY_RUN_DAYS + wanted.incident_days
    )
    data = programme_data([programme.pk], needs=loaded, now=now, kinds={rule_kind})
    return replay(rule_kind, rule, data[programme.pk], now)
