"""Writing many notifications at once: one preferences query, one insert, nothing twice, and
jobs skipping what is already written in the query that finds what is due."""

import pytest
from django.db.models import F

from programmes.models import Channel, Notification, NotificationPreference, Programme
from programmes.notification_kinds import REGRESSION_WORK
from programmes.outbox import Message, notify_many, occurrence_key, unwritten, written
from tests.factories import PersonFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def messages_for(programmes, person):
    return [
        Message(
            recipient=person,
            programme=programme,
            kind=REGRESSION_WORK,
            occurrence=f"bulk:{programme.slug}",
            subject=f"{programme.name}\nregression work",
            body="Re-run the golden set.",
        )
        for programme in programmes
    ]


def test_many_messages_are_written_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    person = PersonFactory(email="tess@example.com")
    programmes = ProgrammeFactory.create_batch(50)
    with django_assert_max_num_queries(6):
        created = notify_many(messages_for(programmes, person))
    assert len(created) == 100
    assert all(row.pk for row in created)
    assert Notification.objects.filter(channel=Channel.EMAIL).count() == 50
    assert Notification.objects.first().subject.endswith("regression work")


def test_writing_the_same_messages_again_creates_nothing():
    person = PersonFactory(email="tess@example.com")
    programmes = ProgrammeFactory.create_batch(3)
    notify_many(messages_for(programmes[:2], person))
    again = notify_many(messages_for(programmes, person))
    assert {row.programme for row in again} == {programmes[2]}
    assert Notification.objects.count() == 6


def test_a_channel_switched_off_is_left_out_for_that_person_only():
    quiet, keen = PersonFactory(), PersonFactory()
    NotificationPreference.objects.create(
        person=quiet, kind=REGRESSION_WORK, channel=Channel.EMAIL, enabled=False
    )
    programme = ProgrammeFactory()
    notify_many(messages_for([programme], quiet) + messages_for([programme], keen))
    assert set(Notification.objects.values_list("recipient", "channel")) == {
        (quiet.pk, Channel.IN_APP),
        (keen.pk, Channel.IN_APP),
        (keen.pk, Channel.EMAIL),
    }


def test_unwritten_leaves_out_what_was_written_in_the_same_query(django_assert_num_queries):
    owner = PersonFactory()
    programmes = ProgrammeFactory.create_batch(3, technical_owner=owner)
    notify_many(messages_for(programmes[:1], owner))
    due = unwritten(
        Programme.objects.all(),
        occurrence=occurrence_key("bulk:", F("slug")),
        recipient="technical_owner_id",
    )
    with django_assert_num_queries(1):
        assert set(due) == set(programmes[1:])


def test_written_names_the_pairs_that_have_their_rows():
    person = PersonFactory()
    programme = ProgrammeFactory()
    notify_many(messages_for([programme], person))
    pairs = [(f"bulk:{programme.slug}", person.pk), ("bulk:other", person.pk)]
    assert written(pairs) == {(f"bulk:{programme.slug}", person.pk)}
