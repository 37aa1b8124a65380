"""A condition's state after an evaluation: ok → tripped → decided, and when a decided
condition trips again. Pure; the evaluation service applies it."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from . import Verdict

OK, TRIPPED, DECIDED = "ok", "tripped", "decided"


@dataclass(frozen=True)
class Standing:
    """What the condition holds between evaluations."""

    state: str
    # Set by a "continue" decision: no new trip before this date unless it gets worse.
    continue_until: dt.date | None = None
    continued_severity: Decimal | None = None


def trips_now(standing: Standing, verdict: Verdict, today: dt.date) -> bool:
    """Whether this verdict is a new trip.

    An ok condition trips when its rule does. A tripped one waits for its decision (one trip,
    one notice, however many bad facts follow). A condition decided "continue" trips again on or
    after its revisit date if the rule still trips, or before it if the facts got worse than when
    it was decided; one decided otherwise (rescope, pause, escalate) trips again only after its
    rule has come back to ok.
    """
    if not verdict.tripping or standing.state == TRIPPED:
        return False
    if standing.state == OK:
        return True
    if standing.continue_until is None:
        return False
    if today >= standing.continue_until:
        return True
    return (
        verdict.severity is not None
        and standing.continued_severity is not None
        and verdict.severity > standing.continued_severity
    )


def state_after(standing: Standing, verdict: Verdict, today: dt.date) -> str:
    """The state once ``verdict`` is applied: a new trip is tripped; a decided condition whose
    rule no longer trips is ok again (armed for the next trip)."""
    if trips_now(standing, verdict, today):
        return TRIPPED
    if standing.state == DECIDED and not verdict.tripping and verdict.judgement == "ok":
        return OK
    return standing.state


def next_check(
    standing: Standing, verdict: Verdict, *, revisit_starts: dt.datetime | None
) -> dt.datetime | None:
    """When to evaluate again with no new data: when the rule's answer can change, or when a
    "continue" runs out while the rule still trips."""
    moments = [verdict.changes_at] if verdict.changes_at else []
    if standing.state == DECIDED and verdict.tripping and revisit_starts is not None:
        moments.append(revisit_starts)
    return min(moments) if moments else None
