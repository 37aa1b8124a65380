"""With the broker stopped, the web still answers, and nothing it wrote is lost: a real gunicorn
whose broker refuses connections, then a real worker on the real broker."""

import datetime as dt

import httpx
import pytest
from django.utils import timezone

from incidents.models import Incident
from incidents.notification_kinds import INCIDENT_OPENED
from oncall import services as oncall_services
from programmes.models import (
    ApiToken,
    Channel,
    Notification,
    NotificationStatus,
    Role,
)
from programmes.notifications import requeue_stalled
from programmes.rules import access_for
from tests.factories import PersonFactory
from tests.servers import free_port, running_web_server

from .conftest import emails_sent, wait_for
from .test_worker_delivery import celery_worker_settle, status_of

pytestmark = pytest.mark.celery
OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)


def test_with_the_broker_down_an_incident_is_created_once_and_paged_once_it_returns(
    celery_worker, tmp_path, owner, programme, settings
):
    responder = PersonFactory(name="Pat Primary", email="pat@example.com")
    oncall_services.create_rotation(
        actor=None,
        programme=programme,
        access=OWNER,
        name="Primary",
        level="primary",
        start=timezone.localdate() - dt.timedelta(days=7),
        member_ids=[responder.pk],
        timezone_name="Europe/London",
        shift_kind="weekly",
    )
    _, key = ApiToken.issue(owner)
    stopped_broker = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    with running_web_server(tmp_path, env={"CELERY_BROKER_URL": stopped_broker}) as web:
        response = httpx.post(
            f"{web.url}/api/v1/programmes/{programme.slug}/incidents/",
            json={"title": "Claims API down", "severity": "sev1"},
            headers={"Authorization": f"Token {key}"},
            timeout=30,
        )
        server_log = web.log()

    assert response.status_code == 201, response.text
    assert Incident.objects.count() == 1
    assert "notification left for the stall sweep" in server_log
    page = Notification.objects.get(kind=INCIDENT_OPENED, channel=Channel.EMAIL)
    celery_worker_settle()
    assert (status_of(page), page.attempts) == (NotificationStatus.QUEUED, 0)
    assert emails_sent(tmp_path / "mail") == []

    # The broker is back: beat's next stall sweep hands the row to the worker.
    assert requeue_stalled(timezone.now() + dt.timedelta(hours=1)) >= 1
    wait_for(lambda: status_of(page) == NotificationStatus.SENT, message="the page email")
    requeue_stalled(timezone.now() + dt.timedelta(hours=1))  # a second sweep sends nothing more
    celery_worker_settle()
    messages = emails_sent(tmp_path / "mail")
    assert len(messages) == 1
    assert "Claims API down" in messages[0]
    assert "pat@example.com" in messages[0]
