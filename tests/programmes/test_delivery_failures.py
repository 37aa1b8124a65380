"""A message that cannot be delivered says so: in its row, in the notification log, and to the
programme's owners on another channel. None stays queued for ever without a reason."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client

from incidents.notification_kinds import INCIDENT_OPENED
from oncall import services as oncall_services
from programmes.models import Channel, Notification, NotificationStatus, Role
from programmes.notification_kinds import DELIVERY_FAILED, REGRESSION_WORK
from programmes.notifications import deliver, notify
from programmes.rules import access_for
from tests.conftest import api_client_for
from tests.factories import PersonFactory
from tests.smtp_stub import refusing_smtp_server

pytestmark = pytest.mark.django_db
OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)


@pytest.fixture
def owned_programme(programme, owner):
    """The programme, with its owner member linked to a person who can hear about failures."""
    PersonFactory(name="Olivia Owner", email="olivia@example.com", user=owner)
    return programme


def email_to_tess(programme) -> Notification:
    rows = notify(
        recipient=PersonFactory(name="Tess", email="tess@example.com"),
        programme=programme,
        kind=REGRESSION_WORK,
        occurrence="regression-work:test",
        subject="Regression work is due",
        body="Re-run the golden set.",
    )
    return next(row for row in rows if row.channel == Channel.EMAIL)


def test_an_incident_titled_over_two_lines_still_pages_its_responder_by_email(owner, programme):
    responder = PersonFactory(name="Pat Primary", email="pat@example.com")
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), tick=False):
        oncall_services.create_rotation(
            actor=None,
            programme=programme,
            access=OWNER,
            name="Primary",
            level="primary",
            start=dt.date(2026, 11, 2),
            member_ids=[responder.pk],
            timezone_name="Europe/London",
            shift_kind="weekly",
        )
    with time_machine.travel(dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC), tick=False):
        response = api_client_for(owner).post(
            f"/api/v1/programmes/{programme.slug}/incidents/",
            {"title": "Latency high\nsee runbook", "severity": "sev2"},
            format="json",
        )
    assert response.status_code == 201, response.content
    page = Notification.objects.get(kind=INCIDENT_OPENED, channel=Channel.EMAIL)

    assert deliver(page.pk) is None

    page.refresh_from_db()
    assert (page.status, page.last_error) == (NotificationStatus.SENT, "")
    assert [message.to for message in mail.outbox] == [["pat@example.com"]]
    assert mail.outbox[0].subject == "[SEV2] Claims triage: Latency high see runbook"
    assert "\n" not in page.subject


def test_an_address_the_mail_server_refuses_is_failed_logged_and_told_to_the_owners(
    settings, owner, owned_programme
):
    with refusing_smtp_server() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        row = email_to_tess(owned_programme)

        assert deliver(row.pk) is None

    assert "rcpt TO:<tess@example.com>" in smtp.commands
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert row.attempts == 1
    assert "refused the address" in row.last_error
    assert "No such user here" in row.last_error

    client = Client()
    client.force_login(owner)
    log = client.get(f"/programmes/{owned_programme.slug}/notifications/?status=failed")
    assert "No such user here" in log.content.decode()

    told = Notification.objects.filter(kind=DELIVERY_FAILED)
    # The owner hears in the app, not by the channel that just failed.
    assert [(n.recipient.name, n.channel) for n in told] == [("Olivia Owner", Channel.IN_APP)]
    assert "Tess" in told.get().body
    assert "No such user here" in told.get().body


def test_a_sender_that_breaks_ends_dead_with_its_error_after_the_last_attempt(
    settings, owned_programme
):
    settings.EMAIL_BACKEND = "keel.no_such_module.EmailBackend"  # a misconfigured installation
    settings.KEEL_NOTIFICATION_MAX_ATTEMPTS = 2
    row = email_to_tess(owned_programme)

    assert deliver(row.pk) is not None  # retried
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.QUEUED, 1)
    assert "ModuleNotFoundError" in row.last_error

    assert deliver(row.pk) is None
    row.refresh_from_db()
    assert row.status == NotificationStatus.DEAD
    assert "Gave up after 2 attempts" in row.last_error
    assert "ModuleNotFoundError" in row.last_error
    told = Notification.objects.get(kind=DELIVERY_FAILED)
    assert (told.recipient.name, told.channel) == ("Olivia Owner", Channel.IN_APP)


def test_a_warning_that_cannot_be_delivered_warns_nobody_again(settings, owned_programme):
    settings.EMAIL_BACKEND = "keel.no_such_module.EmailBackend"
    settings.KEEL_NOTIFICATION_MAX_ATTEMPTS = 1
    owner_person = owned_programme.memberships.get().user.person
    rows = notify(
        recipient=owner_person,
        programme=owned_programme,
        kind=DELIVERY_FAILED,
        occurrence="delivery-failed:earlier",
        subject="Not delivered: something",
        body="Something could not be delivered.",
    )
    email = next(row for row in rows if row.channel == Channel.EMAIL)

    deliver(email.pk)

    email.refresh_from_db()
    assert email.status == NotificationStatus.DEAD
    assert Notification.objects.filter(kind=DELIVERY_FAILED).count() == 2
