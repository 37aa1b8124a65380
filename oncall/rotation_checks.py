"""Which rotations a scheduled job must work out again: those it has never seen, those whose
schedule, programme owner or stage changed since, and those whose next moment of interest (the
next change of hands, a gap about to enter the reminder horizon) has come. Everything else is
left alone, so a tick costs what is due, not the number of rotations.

A change to a version, an override or a member's time off counts on the rotation
(``Rotation.schedule_changes``) through the model signals connected in ``OncallConfig.ready``;
the job's record of a rotation names that count, so a change made while the job ran is seen on
the next tick.
"""

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from programmes.bulk import insert_rows
from programmes.outbox import occurrence_key

from . import person_rotations
from .models import Override, Rotation, RotationCheck, RotationVersion, TimeOff


def _fingerprint_expression() -> Any:
    """What a job's view of a rotation depends on: its count of schedule changes, its
    programme's owner and stage."""
    return occurrence_key(
        F("schedule_changes"),
        ":",
        Coalesce(F("programme__programme_owner_id"), 0),
        ":",
        F("programme__stage"),
    )


def due_rotations(
    queryset: QuerySet[Rotation], *fields: str, job: str, now: dt.datetime
) -> QuerySet[Rotation, tuple[Any, ...]]:
    """``queryset`` without the rotations ``job`` checked with the same fingerprint and need not
    see again before a later moment (one anti-join), as plain rows: each rotation's id, the
    fingerprint it was read with (for ``record_checks``), then ``fields``."""
    due = queryset.annotate(checked_as=_fingerprint_expression()).exclude(
        Exists(
            RotationCheck.objects.filter(
                rotation=OuterRef("pk"),
                job=job,
                fingerprint=OuterRef("checked_as"),
                due_at__gt=now,
            )
        )
    )
    return due.values_list("pk", "checked_as", *fields)


def record_checks(job: str, due_at: dict[int, dt.datetime], fingerprints: dict[int, str]) -> None:
    """Remember, for each rotation (by id), the fingerprint the job worked from (``checked_as``,
    as ``due_rotations`` read it) and when it is due."""
    insert_rows(
        RotationCheck,
        ("rotation", "job", "fingerprint", "due_at"),
        [
            (rotation_id, job, checked_as, due_at[rotation_id])
            for rotation_id, checked_as in fingerprints.items()
            if rotation_id in due_at
        ],
        conflict=["rotation", "job"],
        update=["fingerprint", "due_at"],
    )


def count_change(rotation_ids: list[int]) -> None:
    Rotation.objects.filter(pk__in=rotation_ids).update(schedule_changes=F("schedule_changes") + 1)


def _rotation_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    count_change([instance.rotation_id])


def _time_off_changed(sender: Any, instance: TimeOff, **kwargs: Any) -> None:
    """Time off changes the schedule of every rotation that lists the person."""
    count_change(sorted(person_rotations.rotation_ids_listing({instance.person_id})))


def connect() -> None:
    """Count every saved or deleted version, override and time off on its rotations."""
    for model in (RotationVersion, Override):
        post_save.connect(_rotation_changed, sender=model, dispatch_uid=f"schedule:{model}")
        post_delete.connect(_rotation_changed, sender=model, dispatch_uid=f"schedule-:{model}")
    post_save.connect(_time_off_changed, sender=TimeOff, dispatch_uid="schedule:time-off")
    post_delete.connect(_time_off_changed, sender=TimeOff, dispatch_uid="schedule-:time-off")
