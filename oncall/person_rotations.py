"""Which rotations list a person: the rotations a change to their time off moves, and those of
their calendar feed."""

import datetime as dt

from programmes.models import Person

from .models import Rotation, RotationVersion
from .selectors import versions_prefetch


def rotation_ids_listing(person_ids: set[int]) -> set[int]:
    """Rotations whose current or coming order includes any of ``person_ids``: one query of
    plain rows (member lists are JSON, which not every database can search)."""
    return {
        rotation_id
        for rotation_id, member_ids in RotationVersion.objects.values_list(
            "rotation_id", "member_ids"
        )
        if person_ids.intersection(member_ids)
    }


def rotations_of_person(person: Person) -> list[Rotation]:
    """Rotations whose current or coming order includes ``person``, and only those are read."""
    return list(
        Rotation.objects.filter(pk__in=rotation_ids_listing({person.pk}))
        .select_related("programme")
        .prefetch_related(versions_prefetch())
    )


def rotations_overriding(person: Person, start: dt.datetime, end: dt.datetime) -> list[Rotation]:
    """Rotations on which ``person`` has an override overlapping [start, end)."""
    return list(
        Rotation.objects.filter(
            overrides__person=person, overrides__start__lt=end, overrides__end__gt=start
        )
        .distinct()
        .select_related("programme")
        .prefetch_related(versions_prefetch())
    )
