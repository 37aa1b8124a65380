import pytest
from django.db import DatabaseError, connection, transaction

from programmes import services
from programmes.models import AuditEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


@pytest.fixture
def audit_event() -> AuditEvent:
    services.create_programme(actor=UserFactory(), name="Audited")
    return AuditEvent.objects.filter(object_type="programme").get()


def test_the_database_refuses_to_update_an_audit_event(audit_event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=audit_event.pk).update(actor_label="someone else")
    audit_event.refresh_from_db()
    assert audit_event.actor_label != "someone else"


def test_the_database_refuses_to_delete_an_audit_event(audit_event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=audit_event.pk).delete()
    assert AuditEvent.objects.filter(pk=audit_event.pk).exists()


def test_raw_sql_cannot_rewrite_the_trail_either(audit_event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE programmes_auditevent SET action = 'forged'")


def test_the_database_refuses_to_truncate_the_audit_table(audit_event):
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE programmes_auditevent")
    assert AuditEvent.objects.filter(pk=audit_event.pk).exists()


def test_deleting_a_programme_keeps_its_audit_trail():
    user = UserFactory()
    programme = services.create_programme(actor=user, name="Short-lived")
    programme_id = programme.pk
    programme.memberships.all().delete()
    programme.delete()
    assert AuditEvent.objects.filter(programme_id=programme_id).count() == 2
