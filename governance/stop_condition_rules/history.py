"""What a rule would have said over a programme's recent past: the dry run shown before a rule
is saved. Pure: it replays the rule on the data as it stood at the end of each day."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from . import Judgement, ProgrammeData, Rule, Verdict, evaluate

# How far back the dry run looks.
DRY_RUN_DAYS = 90
# A rule that came this close (as a fraction of tripping) without tripping was "close".
CLOSE = Decimal("0.5")


@dataclass(frozen=True)
class History:
    now: Verdict
    # How many times it went from not tripping to tripping over the period (now included).
    trips: int
    # The closest it came, 0 to 1; None when it never could judge.
    closest: Decimal | None
    days: int
    # How many of the moments it could judge (not "not enough data").
    judged: int = 1

    @property
    def summary(self) -> str:
        if self.now.tripping:
            return "Trips now: saved and approved, it would trip at once."
        if not self.judged:
            return f"Not enough data to judge at any time in the last {self.days} days."
        if self.trips:
            times = "once" if self.trips == 1 else f"{self.trips} times"
            return f"Would have tripped {times} in the last {self.days} days; not tripping now."
        if self.closest is not None and self.closest >= CLOSE:
            return (
                f"Never tripped in the last {self.days} days; at its closest "
                f"{(self.closest * 100).quantize(Decimal(1))} % of the way."
            )
        return f"Never close in the last {self.days} days."


def replay(
    kind_key: str, rule: Rule, data: ProgrammeData, now: dt.datetime, *, days: int = DRY_RUN_DAYS
) -> History:
    """The rule evaluated at the same time of day on each of the last ``days`` days, then now."""
    moments = [now - dt.timedelta(days=back) for back in range(days, 0, -1)] + [now]
    trips, closest, was_tripping, judged = 0, None, False, 0
    verdict = None
    for moment in moments:
        verdict = evaluate(kind_key, rule, data.as_of(moment), moment)
        if verdict.tripping and not was_tripping:
            trips += 1
        was_tripping = verdict.tripping
        judged += verdict.judgement != Judgement.NOT_ENOUGH_DATA
        if verdict.fraction is not None and (closest is None or verdict.fraction > closest):
            closest = verdict.fraction
    assert verdict is not None
    return History(now=verdict, trips=trips, closest=closest, days=days, judged=judged)
