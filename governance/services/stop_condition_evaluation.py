"""Evaluating stop conditions: after every write that can change an answer (the programme data
listener) and on the scheduled job, always in bulk. A new trip keeps its facts, goes into the
audit trail and tells the sponsor, the programme owner and the approvers, once."""

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from programmes import audit
from programmes.models import Person, Programme
from programmes.notifications import notify
from programmes.times import for_message

from ..models import ConditionState, Reading, StopCondition, StopConditionTrip, StopConditionVersion
from ..notification_kinds import STOP_CONDITION_TRIPPED
from ..selectors.stop_condition_data import programme_data
from ..stop_condition_rules import Judgement, Verdict, evaluate, needs
from ..stop_condition_rules.states import Standing, next_check, state_after, trips_now
from .stop_condition_writes import write_evaluated

log = logging.getLogger(__name__)

# The most conditions one transaction evaluates; a larger backlog is taken in several.
BATCH = 2000
_READINGS = {
    Judgement.OK: Reading.OK,
    Judgement.TRIPPING: Reading.TRIPPING,
    Judgement.NOT_ENOUGH_DATA: Reading.NOT_ENOUGH_DATA,
}
_EVALUATED_FIELDS = [
    "state",
    "reading",
    "distance",
    "distance_fraction",
    "severity",
    "evaluated_at",
    "next_check_at",
    "continue_until",
    "continued_severity",
]


def versions_in_force(condition_ids: Iterable[int]) -> dict[int, StopConditionVersion]:
    """Each condition's latest approved version (the one in force), in one query."""
    in_force: dict[int, StopConditionVersion] = {}
    rows = StopConditionVersion.objects.filter(
        condition_id__in=list(condition_ids), approved_at__isnull=False
    ).order_by("condition_id", "-number")
    for version in rows:
        in_force.setdefault(version.condition_id, version)
    return in_force


def _today(zone: str, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(zone)).date()


def _revisit_starts(day: dt.date | None, zone: str) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def evaluate_conditions(
    conditions: list[StopCondition], *, now: dt.datetime
) -> list[StopConditionTrip]:
    """Evaluate ``conditions`` (locked by the caller) as of ``now`` and store what each says;
    returns the new trips. Queries: a fixed number for any number of conditions, plus a few per
    new trip (its audit event and notifications)."""
    if not conditions:
        return []
    in_force = versions_in_force(c.pk for c in conditions)
    rules = [(v.rule_kind, v.rule) for v in in_force.values() if v.rule_kind]
    data = programme_data(
        sorted({c.programme_id for c in conditions}),
        needs=needs(rules),
        now=now,
        kinds={kind for kind, _ in rules},
    )
    trips: list[tuple[StopCondition, StopConditionTrip]] = []
    for condition in conditions:
        version = in_force.get(condition.pk)
        condition.evaluated_at = now
        if version is None or not version.rule_kind:
            condition.reading = Reading.NOT_IN_FORCE if version is None else Reading.MANUAL
            condition.distance = ""
            condition.distance_fraction = None
            condition.next_check_at = None
            continue
        programme = data[condition.programme_id]
        verdict = evaluate(version.rule_kind, version.rule, programme, now)
        trip = _apply(condition, version, verdict, today=_today(programme.timezone, now), now=now)
        condition.next_check_at = next_check(
            _standing(condition),
            verdict,
            revisit_starts=_revisit_starts(condition.continue_until, programme.timezone),
        )
        if trip is not None:
            trips.append((condition, trip))
    write_evaluated(conditions, _EVALUATED_FIELDS)
    if trips:
        StopConditionTrip.objects.bulk_create([trip for _, trip in trips])
        _announce(trips)
    return [trip for _, trip in trips]


def _standing(condition: StopCondition) -> Standing:
    return Standing(
        state=condition.state,
        continue_until=condition.continue_until,
        continued_severity=condition.continued_severity,
    )


def _apply(
    condition: StopCondition,
    version: StopConditionVersion,
    verdict: Verdict,
    *,
    today: dt.date,
    now: dt.datetime,
) -> StopConditionTrip | None:
    standing = _standing(condition)
    condition.reading = _READINGS[verdict.judgement]
    condition.distance = verdict.distance[:300]
    condition.distance_fraction = verdict.fraction
    condition.severity = verdict.severity
    new_trip = trips_now(standing, verdict, today)
    condition.state = state_after(standing, verdict, today)
    if condition.state != ConditionState.DECIDED:
        condition.continue_until = None
        condition.continued_severity = None
    if not new_trip:
        return None
    return StopConditionTrip(
        condition=condition,
        version=version,
        tripped_at=now,
        summary=verdict.distance[:300],
        facts=list(verdict.facts),
        severity=verdict.severity,
    )


def trip_recipients(programme: Programme, approvers: Iterable[Person]) -> list[Person]:
    """The sponsor, the programme owner and the policy's approvers, each once."""
    people: dict[int, Person] = {}
    for person in (programme.executive_sponsor, programme.programme_owner, *approvers):
        if person is not None:
            people.setdefault(person.pk, person)
    return list(people.values())


def _announce(trips: list[tuple[StopCondition, StopConditionTrip]]) -> None:
    conditions = {
        c.pk: c
        for c in StopCondition.objects.filter(pk__in=[c.pk for c, _ in trips])
        .select_related("programme__executive_sponsor", "programme__programme_owner", "policy")
        .prefetch_related("policy__approvers")
    }
    for stale, trip in trips:
        condition = conditions[stale.pk]
        programme = condition.programme
        audit.record(
            actor=None,
            action="trip",
            instance=trip,
            programme=programme,
            after={"condition": condition.pk, "summary": trip.summary, "facts": trip.facts},
        )
        version = trip.version
        for person in trip_recipients(programme, condition.policy.approvers.all()):
            notify(
                recipient=person,
                programme=programme,
                kind=STOP_CONDITION_TRIPPED,
                occurrence=f"stop-condition-tripped:{trip.pk}",
                subject=f"{programme.name}: a stop condition tripped",
                body=(
                    f"“{version.text}” tripped on {for_message(trip.tripped_at, person.timezone)}: "
                    f"{trip.summary}. Its consequence is to "
                    f"{version.get_consequence_display().lower()}; the sponsor or an approver "
                    "decides: continue (with a revisit date), rescope, pause or escalate."
                ),
                link=condition.get_absolute_url(),
            )


def evaluate_programme(programme_id: int, *, now: dt.datetime | None = None) -> int:
    """Evaluate every condition of one programme now; returns the new trips."""
    with transaction.atomic():
        conditions = list(
            StopCondition.objects.select_for_update()
            .filter(programme_id=programme_id)
            .order_by("id")
        )
        return len(evaluate_conditions(conditions, now=now or timezone.now()))


def evaluate_due(now: dt.datetime) -> int:
    """Evaluate the conditions whose answer may have changed by ``now`` (new data, a window
    closing, a deadline, a revisit date), in batches; returns the new trips. Two of these at once
    take different rows (``skip_locked``), so nothing is evaluated or tripped twice."""
    tripped = 0
    while True:
        with transaction.atomic():
            batch = list(
                StopCondition.objects.select_for_update(skip_locked=True)
                .filter(next_check_at__lte=now)
                .order_by("next_check_at", "id")[:BATCH]
            )
            tripped += len(evaluate_conditions(batch, now=now))
        if len(batch) < BATCH:
            return tripped


def _evaluate_after_commit(programme_id: int) -> None:
    try:
        evaluate_programme(programme_id)
    except Exception:  # the change has committed; its conditions stay due for the next tick
        log.exception(
            "stop-condition evaluation after a write failed", extra={"programme": programme_id}
        )


def programme_data_changed(programme_id: int, what: str) -> None:
    """The programme data listener: mark the programme's conditions due (so the next tick takes
    them if anything below fails) and evaluate them once the change has committed."""
    StopCondition.objects.filter(programme_id=programme_id).update(next_check_at=timezone.now())
    transaction.on_commit(partial(_evaluate_after_commit, programme_id))
