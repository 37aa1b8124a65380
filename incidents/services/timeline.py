"""The incident timeline: entries are only ever added."""

from typing import Any

from django.utils import timezone

from programmes import audit

from ..models import (
    Incident,
    TimelineEntry,
)


def add_timeline_entry(
    incident: Incident, kind: str, actor: Any, text: str = "", **extra: Any
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        incident=incident,
        at=extra.pop("at", None) or timezone.now(),
        kind=kind,
        author=audit.acting_user(actor),
        author_label=audit.actor_label(actor),
        text=text,
        **extra,
    )
