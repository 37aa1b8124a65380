"""What changed since, read as plain rows, words each change as the programme's own pages do:
a trip with the text in force (else the one waiting for approval), an incident with its link, a
review at its own zone's time; and it takes no more queries for many programmes than for one."""

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Review, StopCondition, StopConditionTrip, StopConditionVersion
from governance.selectors.stop_conditions import condition_standings
from incidents.models import Incident
from portfolio.changes import changes_since
from programmes.models import Programme

SINCE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def trip(condition: StopCondition, *, pending_text: str) -> None:
    """A newer version of ``condition`` waiting for approval, and a trip if it has none open."""
    newest = condition.versions.order_by("-number").first()
    assert newest is not None
    StopConditionVersion.objects.create(
        condition=condition,
        number=newest.number + 1,
        text=pending_text,
        consequence=newest.consequence,
    )
    if not condition.trips.filter(decided_at__isnull=True).exists():
        StopConditionTrip.objects.create(
            condition=condition, version=newest, tripped_at=timezone.now(), summary="Tripped"
        )


def test_each_change_is_worded_as_the_programmes_own_pages_word_it(demo: list[Programme]):
    conditions = list(StopCondition.objects.filter(programme__in=demo).order_by("id"))
    trip(conditions[0], pending_text="A rewording not yet approved")
    only_pending = conditions[1]
    only_pending.versions.update(approved_at=None, approved_by=None)
    trip(only_pending, pending_text="The only wording, waiting for approval")
    changes = changes_since(demo, SINCE, timezone.now())

    standings = condition_standings([p.pk for p in demo])
    for programme in demo:
        trips = [(c.at, c.text) for c in changes[programme.pk] if c.kind == "trip"]
        assert sorted(trips) == sorted(
            (standing.tripped_at, f"stop condition tripped: {standing.text}")
            for standing in standings[programme.pk]
            if standing.tripped_at is not None
        )
    texts = [c.text for found in changes.values() for c in found]
    assert "stop condition tripped: The only wording, waiting for approval" in texts
    assert "stop condition tripped: A rewording not yet approved" not in texts
    for incident in Incident.objects.filter(programme__in=demo):
        assert f"{incident.severity.upper()} “{incident.title}” opened" in texts
    for review in Review.objects.filter(programme__in=demo, status__in=("held", "missed")):
        assert any(text.startswith(f"weekly review of {review.when} ") for text in texts)
    for found in changes.values():
        assert found == sorted(found, key=lambda change: change.at)


def queries(programmes: list[Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        changes_since(programmes, SINCE, timezone.now())
    return len(captured)


def test_what_changed_takes_no_more_queries_for_every_programme_than_for_one(
    demo: list[Programme],
):
    tripped = StopCondition.objects.filter(trips__decided_at__isnull=True).first()
    assert tripped is not None
    one = queries([tripped.programme])
    assert queries(demo) == one <= 9
