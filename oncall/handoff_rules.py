"""Handoff rules, as plain functions: who may acknowledge a handoff and when, who may write its
notes, how an acknowledgement reads, and which stretch of the schedule was the outgoing shift."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from . import schedule

# “I have it” opens this long before the handoff: long enough to take over a minute early, too
# short to acknowledge a shift nobody has started.
ACKNOWLEDGE_EARLY = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Refusal:
    """Why an acknowledgement is refused; ``not_allowed`` when it is a matter of who asks."""

    message: str
    field: str | None = None
    not_allowed: bool = False


def acknowledge_opens_at(starts_at: dt.datetime) -> dt.datetime:
    return starts_at - ACKNOWLEDGE_EARLY


def speaks_for_the_rotation(
    *, person_id: int | None, oncall_lead_id: int | None, owner_id: int | None, is_owner: bool
) -> bool:
    """Whether someone may acknowledge for the incoming engineer: the programme's on-call lead,
    its named programme owner, or an owner of the programme in Keel."""
    named = person_id is not None and person_id in (oncall_lead_id, owner_id)
    return named or is_owner


def acknowledgement_refusal(
    *,
    starts_at: dt.datetime,
    incoming_id: int | None,
    incoming_name: str,
    already_acknowledged: bool,
    person_id: int | None,
    speaks_for_rotation: bool,
    on_behalf: bool,
    reason: str | None,
    now: dt.datetime,
) -> Refusal | None:
    """Why ``person_id`` may not acknowledge this handoff (for themselves, or ``on_behalf`` of the
    incoming engineer with a ``reason``) at ``now``; None when they may. A ``reason`` of None is
    not judged: the page asks whether to offer the form at all."""
    if incoming_id is None:
        return Refusal("Nobody is on call after this handoff, so nobody can acknowledge it.")
    if already_acknowledged:
        return Refusal("This handoff is already acknowledged.")
    if on_behalf:
        if person_id == incoming_id:
            return Refusal("This handoff is yours: acknowledge it as your own.", field="on_behalf")
        if not speaks_for_rotation:
            return Refusal(
                "Only the on-call lead or a programme owner can acknowledge for someone else.",
                not_allowed=True,
            )
        if reason is not None and not reason.strip():
            return Refusal(f"Say why you acknowledge for {incoming_name}.", field="reason")
    elif person_id != incoming_id:
        return Refusal(
            f"Only {incoming_name}, the incoming engineer, acknowledges this handoff; the "
            "on-call lead or a programme owner can acknowledge for them, with a reason.",
            not_allowed=True,
        )
    if now < acknowledge_opens_at(starts_at):
        minutes = int(ACKNOWLEDGE_EARLY.total_seconds() // 60)
        return Refusal(f"A handoff can be acknowledged from {minutes} minutes before it.")
    return None


def may_write_notes(
    *, person_id: int | None, outgoing_id: int | None, incoming_id: int | None, can_edit: bool
) -> bool:
    """The outgoing and incoming engineers write a handoff's notes, and the programme's editors."""
    return can_edit or (person_id is not None and person_id in (outgoing_id, incoming_id))


def acknowledgement_text(
    *, incoming_name: str, acknowledger_name: str, on_behalf: bool, reason: str
) -> str:
    """How an acknowledgement reads on the page and in the API."""
    if not on_behalf:
        return f"{incoming_name} has it"
    text = f"acknowledged for {incoming_name} by {acknowledger_name}"
    return f"{text}: {reason}" if reason else text


@dataclass(frozen=True)
class ShiftChange:
    """The change of hands that began the current shift, the start of the outgoing shift before
    it, and the next change of hands; each None when the schedule has none."""

    latest: schedule.Change | None
    outgoing_since: dt.datetime | None
    following: schedule.Change | None


def shift_change_at(segments: Sequence[schedule.Segment], now: dt.datetime) -> ShiftChange:
    """Around ``now`` in the final schedule: the latest change of hands at or before it, the true
    start of the outgoing engineer's stretch that ended there (consecutive shifts of the same
    person are one stretch), and the first change of hands after ``now``."""
    changes = schedule.changes_of_hands(segments)
    latest = next((c for c in reversed(changes) if c.at <= now), None)
    following = next((c for c in changes if c.at > now), None)
    if latest is None:
        return ShiftChange(None, None, following)
    since = latest.at
    for segment in reversed(segments):
        if segment.end == since and segment.person_id == latest.outgoing_id:
            since = segment.start
        elif segment.end <= since and segment.start < since:
            break
    return ShiftChange(latest, since, following)
