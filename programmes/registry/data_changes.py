"""Programme data changes: the services of the lower apps announce that a programme's data
changed (measurements ingested, an incident opened or re-graded, a metric or the cost envelope
changed) and the apps above listen, without the lower apps knowing them. ``governance``
re-evaluates the programme's stop conditions.

A listener is called inside the transaction that made the change, with the programme's id and
what changed; it does its own work after commit (``transaction.on_commit``) if it wants to."""

from collections.abc import Callable

from .keyed import KeyedRegistry

DataListener = Callable[[int, str], None]

# What changed, as the listeners are told.
MEASUREMENTS = "measurements"
METRIC = "metric"
INCIDENT = "incident"
PROGRAMME = "programme"

_listeners: KeyedRegistry[DataListener] = KeyedRegistry("programme data listener")


def listen_to_data_changes(key: str, listener: DataListener) -> None:
    """Register ``listener(programme_id, what)`` under ``key`` (in an ``AppConfig.ready``)."""
    _listeners.add(key, listener)


def programme_data_changed(programme_id: int, what: str) -> None:
    """Tell every listener that ``programme_id``'s data changed. Call it inside the transaction
    that makes the change."""
    for listener in _listeners.values():
        listener(programme_id, what)
