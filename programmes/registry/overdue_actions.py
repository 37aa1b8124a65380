"""Overdue action items, from every app that has them: each registers a source (in its
``AppConfig.ready``) that lists its open actions past their due date, and the one daily digest
of overdue actions (``incidents.jobs.send_overdue_action_digests``) tells each owner of all of
them in one message."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from programmes.models import Person

from .keyed import KeyedRegistry


@dataclass(frozen=True)
class OverdueAction:
    owner: Person
    title: str
    due_on: dt.date
    # Where it comes from, as the digest names it: "Claims triage: incident Timeouts".
    where: str
    link: str
    # The programme it belongs to, so a page can count each programme's overdue actions.
    programme_id: int | None = None


# ``(today) -> actions``: the source's open actions due before ``today``, in a fixed number of
# queries however many there are.
OverdueSource = Callable[[dt.date], list[OverdueAction]]

_sources: KeyedRegistry[OverdueSource] = KeyedRegistry("overdue action source")


def register_overdue_source(key: str, source: OverdueSource) -> None:
    _sources.add(key, source)


def overdue_actions(today: dt.date) -> list[OverdueAction]:
    """Every registered source's overdue actions, in registration order."""
    return [action for source in _sources.values() for action in source(today)]
