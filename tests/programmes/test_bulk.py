"""Plain rows inserted in bulk, on PostgreSQL and SQLite alike: a row whose unique key is taken
is left as it was, or updated where the caller says so."""

import datetime as dt

import pytest
from django.utils import timezone

from oncall.models import Rotation, RotationCheck
from programmes.bulk import insert_rows
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _rotations(count: int) -> list[Rotation]:
    programme = ProgrammeFactory()
    return [
        Rotation.objects.create(programme=programme, name=f"Rotation {n}") for n in range(count)
    ]


def test_rows_are_inserted_and_a_taken_key_is_left_or_updated_as_asked():
    first, second = _rotations(2)
    now = timezone.now().replace(microsecond=0)
    columns = ("rotation", "job", "fingerprint", "due_at")
    key = ["rotation", "job"]
    insert_rows(RotationCheck, columns, [(first.pk, "gaps", "a", now)], conflict=key)

    insert_rows(
        RotationCheck,
        columns,
        [(first.pk, "gaps", "b", now + dt.timedelta(hours=1)), (second.pk, "gaps", "c", now)],
        conflict=["rotation", "job"],
    )
    assert sorted(RotationCheck.objects.values_list("rotation_id", "fingerprint", "due_at")) == [
        (first.pk, "a", now),
        (second.pk, "c", now),
    ]

    insert_rows(
        RotationCheck,
        columns,
        [(first.pk, "gaps", "d", now + dt.timedelta(hours=1))],
        conflict=["rotation", "job"],
        update=["fingerprint", "due_at"],
    )
    check = RotationCheck.objects.get(rotation=first)
    assert (check.fingerprint, check.due_at) == ("d", now + dt.timedelta(hours=1))


def test_more_rows_than_one_statement_takes_are_all_written():
    rotations = _rotations(3)
    now = timezone.now()
    rows = [(r.pk, f"job-{n}", "f", now) for n in range(800) for r in rotations]
    insert_rows(RotationCheck, ("rotation", "job", "fingerprint", "due_at"), rows)
    assert RotationCheck.objects.count() == 2400


def test_text_and_instants_keep_every_character_and_microsecond():
    (rotation,) = _rotations(1)
    rome = dt.timezone(dt.timedelta(hours=1))
    at = dt.datetime(2026, 12, 1, 19, 33, 0, 123456, tzinfo=rome)
    text = 'Zoë’s "rota"\n\\ 東京 🚨'
    insert_rows(
        RotationCheck, ("rotation", "job", "fingerprint", "due_at"), [(rotation.pk, "j", text, at)]
    )
    check = RotationCheck.objects.get(rotation=rotation)
    assert (check.fingerprint, check.due_at) == (text, at)
