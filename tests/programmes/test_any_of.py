"""``AnyOf`` selects the rows whose column is one of the ids given, as ``__in`` would."""

import pytest
from django.db.models import F

from programmes.any_of import AnyOf
from programmes.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_any_of_selects_the_rows_named_and_nothing_for_no_ids():
    people = PersonFactory.create_batch(4)
    wanted = {people[0].pk, people[2].pk, 10**12}
    chosen = set(Person.objects.filter(AnyOf(F("id"), wanted)).values_list("id", flat=True))
    assert chosen == set(Person.objects.filter(pk__in=wanted).values_list("id", flat=True))
    assert chosen == {people[0].pk, people[2].pk}
    assert not Person.objects.filter(AnyOf(F("id"), [])).exists()


def test_any_of_selects_by_ids_that_are_not_integers_too():
    people = PersonFactory.create_batch(3)
    emails = [people[0].email, people[2].email]
    chosen = set(Person.objects.filter(AnyOf(F("email"), emails)).values_list("id", flat=True))
    assert chosen == {people[0].pk, people[2].pk}
