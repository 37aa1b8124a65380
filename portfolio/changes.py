"""What changed since a moment, per programme: stage changes from the lifecycle's record, RAG
changes from the scorecards, incidents opened and resolved, stop conditions tripped and decided,
weekly reviews held and missed, readiness sign-offs given and expired, each from its app's
selector."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from governance.selectors.portfolio_facts import governance_changes, trips_since
from incidents.selectors import incident_changes
from programmes.models import Programme
from programmes.selectors import stage_changes
from scorecards.selectors import scorecard_changes


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    kind: str
    text: str


def changes_since(
    programmes: list[Programme], since: dt.datetime, now: dt.datetime
) -> dict[int, list[Change]]:
    """Each programme's changes between ``since`` and ``now``, oldest first, in a fixed number
    of queries (each app's selector takes the ids as one array parameter)."""
    ids = [p.pk for p in programmes]
    found: dict[int, list[Change]] = {pk: [] for pk in ids}
    for transition in stage_changes(ids, since):
        found[transition.programme_id].append(
            Change(
                transition.at,
                "stage",
                f"stage {transition.get_from_stage_display().lower()} → "
                f"{transition.get_to_stage_display().lower()}: {transition.reason}",
            )
        )
    for change in scorecard_changes(ids, since):
        found[change.programme_id].append(Change(change.at, "rag", change.text))
    for incident in incident_changes(ids, since):
        found[incident.programme_id].append(Change(incident.at, "incident", incident.text))
    for governance in [*trips_since(ids, since), *governance_changes(ids, since, now)]:
        found[governance.programme_id].append(
            Change(governance.at, governance.kind, governance.text)
        )
    for changes in found.values():
        changes.sort(key=lambda change: change.at)
    return found


def last_monday(now: dt.datetime, timezone: str) -> dt.datetime:
    """The start of the latest Monday (today, on a Monday) in ``timezone``, as an aware time."""
    local = now.astimezone(zoneinfo.ZoneInfo(timezone))
    monday = local.date() - dt.timedelta(days=local.weekday())
    return dt.datetime.combine(monday, dt.time(0, 0), tzinfo=zoneinfo.ZoneInfo(timezone))
