"""Notification kinds: each app's ``notification_kinds.py`` registers the kinds it sends, with
the label people see and whether a programme's Slack channel may carry them. The ``kind`` column
has no choices, so a new kind needs no migration."""

from dataclasses import dataclass

from . import discover
from .keyed import KeyedRegistry


@dataclass(frozen=True)
class NotificationKindSpec:
    key: str
    label: str
    # Kinds about one programme may also go to that programme's Slack channel.
    programme_channel: bool


_kinds: KeyedRegistry[NotificationKindSpec] = KeyedRegistry("notification kind")


def register_kind(key: str, *, label: str, programme_channel: bool) -> str:
    """Register a kind; returns its key, for the app's constant (``HANDOFF = register_kind(…)``)."""
    _kinds.add(key, NotificationKindSpec(key=key, label=label, programme_channel=programme_channel))
    return key


def kind_label(key: str) -> str:
    """The kind's label; an unknown key (a row of a kind no app sends any more) shows as is."""
    discover()
    spec = _kinds.get(key)
    return spec.label if spec else key


def may_go_to_programme_channel(key: str) -> bool:
    discover()
    spec = _kinds.get(key)
    return spec is not None and spec.programme_channel


def kind_choices() -> list[tuple[str, str]]:
    """Every registered kind as (key, label), in registration order: forms, filters, the API."""
    discover()
    return [(spec.key, spec.label) for spec in _kinds.values()]


def kind_keys() -> list[str]:
    return [key for key, _ in kind_choices()]
