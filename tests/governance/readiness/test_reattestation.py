"""Sign-offs expire after twelve months and on material change; re-attesting resets them, never
a reminder."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from governance.models import SignOff
from governance.notification_kinds import REATTEST, SIGNOFF_EXPIRED
from governance.readiness_jobs import ask_for_reattestation
from programmes.models import AuditEvent, Channel, Notification
from scorecards.models import Measurement
from tests.conftest import api_client_for
from tests.governance.readiness.helpers import approve_all, make_ready, move_to_production

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_production(programme):
    users = make_ready(programme)
    approve_all(programme, users)
    assert move_to_production(programme, users["programme_owner"]).status_code == 200
    return users


def _readiness(programme, user):
    return api_client_for(user).get(f"/api/v1/programmes/{programme.slug}/readiness/").json()


def test_a_new_model_version_on_the_headline_asks_each_signer_once(programme, in_production):
    headline = programme.metrics.get(is_headline=True)
    posted = api_client_for(in_production["technical_owner"]).post(
        f"/api/v1/metrics/{headline.pk}/measurements/",
        [{"value": "81", "measured_at": timezone.now().isoformat(), "model_version": "triage-v2"}],
        format="json",
    )
    assert posted.status_code in (200, 201), posted.json()
    readiness = _readiness(programme, in_production["programme_owner"])
    signoffs = readiness["current_review"]["signoffs"]
    assert all(s["needs_reattestation"] for s in signoffs)
    assert "a new model/version on the headline: triage-v2" in signoffs[0]["changes"]
    assert readiness["warning"].startswith("In production without a valid readiness sign-off")
    signers = ["Delivery lead", "Product owner", "Risk & compliance owner", "Security owner"]
    told = Notification.objects.filter(kind=REATTEST, channel=Channel.IN_APP)
    # Told in the request that posted the measurement, before any tick.
    assert sorted(n.recipient.name for n in told) == signers
    assert "triage-v2" in told.first().body

    # Another measurement on the new model, and the tick (twice) as a safety net: nobody twice.
    again = api_client_for(in_production["technical_owner"]).post(
        f"/api/v1/metrics/{headline.pk}/measurements/",
        [{"value": "82", "measured_at": timezone.now().isoformat(), "model_version": "triage-v2"}],
        format="json",
    )
    assert again.status_code in (200, 201), again.json()
    now = timezone.now()
    assert ask_for_reattestation(now) == 0
    assert ask_for_reattestation(now + dt.timedelta(minutes=1)) == 0
    assert sorted(n.recipient.name for n in told) == signers


def test_the_tick_tells_signers_the_listener_missed_once(programme, in_production):
    """A change written without the listener (an import straight into the table) still reaches
    each signer once, at the next tick."""
    headline = programme.metrics.get(is_headline=True)
    Measurement.objects.create(
        metric=headline, value=81, measured_at=timezone.now(), model_version="triage-v3"
    )
    now = timezone.now()
    assert ask_for_reattestation(now) > 0
    assert ask_for_reattestation(now) == 0
    assert Notification.objects.filter(kind=REATTEST, channel=Channel.IN_APP).count() == 4


def test_confirming_not_material_clears_it_for_that_signer_in_the_audit_trail(
    programme, in_production
):
    headline = programme.metrics.get(is_headline=True)
    api_client_for(in_production["technical_owner"]).post(
        f"/api/v1/metrics/{headline.pk}/measurements/",
        [{"value": "81", "measured_at": timezone.now().isoformat(), "model_version": "triage-v2"}],
        format="json",
    )
    security = SignOff.objects.get(role="security")
    response = api_client_for(in_production["security_owner"]).post(
        f"/api/v1/readiness/sign-offs/{security.pk}/reattest/",
        {"comment": "Same weights, new serving image."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["needs_reattestation"] is False
    signoffs = _readiness(programme, in_production["programme_owner"])["current_review"]["signoffs"]
    assert {s["role"]: s["needs_reattestation"] for s in signoffs} == {
        "delivery": True,
        "security": False,
        "risk": True,
        "product": True,
    }
    event = AuditEvent.objects.get(action="reattest")
    assert event.after["not_material"] == ["a new model/version on the headline: triage-v2"]
    assert event.after["comment"] == "Same weights, new serving image."


def test_a_changed_target_asks_for_reattestation(programme, in_production):
    headline = programme.metrics.get(is_headline=True)
    headline.target_value = 95
    headline.save()
    signoff = _readiness(programme, in_production["programme_owner"])["current_review"]["signoffs"][
        0
    ]
    assert signoff["changes"] == ["the headline's target changed from 90 to 95"]


def test_a_sign_off_twelve_months_old_expires_and_the_sponsor_is_told(programme, in_production):
    signed_at = SignOff.objects.get(role="risk").attested_at
    assert signed_at is not None
    year_on = signed_at + dt.timedelta(days=366)
    with time_machine.travel(year_on, tick=False):
        readiness = _readiness(programme, in_production["programme_owner"])
        risk = next(s for s in readiness["current_review"]["signoffs"] if s["role"] == "risk")
        assert risk["expired"] is True
        assert "Risk & compliance's sign-off by Risk & compliance owner expired" in " ".join(
            readiness["refusals"]
        )
        ask_for_reattestation(year_on)
        ask_for_reattestation(year_on)
    told = Notification.objects.filter(kind=SIGNOFF_EXPIRED, channel=Channel.IN_APP)
    assert [n.recipient_id for n in told] == [programme.executive_sponsor_id]
    assert "while the programme is in production: delivery (Delivery lead)" in told.get().body


def test_reattestation_is_asked_a_month_before_then_a_week_later_and_a_reminder_resets_nothing(
    programme, in_production
):
    signoff = SignOff.objects.get(role="delivery")
    expires = signoff.expires_at
    assert expires is not None
    for moment in (expires - dt.timedelta(days=30), expires - dt.timedelta(days=23)):
        with time_machine.travel(moment, tick=False):
            ask_for_reattestation(moment)
            ask_for_reattestation(moment)
    asked = Notification.objects.filter(
        kind=REATTEST, channel=Channel.IN_APP, recipient=signoff.signer
    )
    assert asked.count() == 2
    assert SignOff.objects.get(pk=signoff.pk).expires_at == expires
