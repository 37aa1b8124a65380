"""Long names (a 200-character programme name or incident title, one unbroken word) wrap: no page
grows wider than a phone or a desktop window."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from incidents import services as incidents
from oncall import services as oncall_services
from programmes import services as programme_services
from programmes.models import Person
from programmes.selectors import get_programme_for_user
from scorecards import services as scorecard_services
from scorecards.models import MeasurementSource
from tests.factories import PASSWORD, UserFactory

from .layout import DESKTOP, PHONE, layout_problems, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Claimstriageassistant" * 10  # 210 characters, no space to break at


def _long_named_programme() -> list[str]:
    """A programme whose programme, metric, rotation, incident, runbook and person all have
    the longest names allowed; the addresses of its pages."""
    user = UserFactory(username="marco")
    person = Person.objects.create(
        name=LONG_WORD[:200], email="marco@example.com", timezone="UTC", user=user
    )
    programme = programme_services.create_programme(
        actor=user, name=LONG_WORD[:200], business_unit=LONG_WORD[:120], programme_owner=person
    )
    _, access = get_programme_for_user(user, programme.slug)
    today = timezone.localdate()
    metric = scorecard_services.create_metric(
        actor=user,
        programme=programme,
        access=access,
        name=LONG_WORD[:120],
        unit="%",
        is_headline=True,
        baseline_value=Decimal(70),
        baseline_date=today - dt.timedelta(days=90),
        target_value=Decimal(90),
        target_date=today + dt.timedelta(days=90),
        owner=person,
    )
    scorecard_services.record_measurement(
        actor=user,
        metric=metric,
        access=access,
        measurement=scorecard_services.NewMeasurement(
            value=Decimal("60.5"),
            measured_at=timezone.now() - dt.timedelta(hours=2),
            external_id=LONG_WORD[:200],
            model_version=LONG_WORD[:200],
            note=LONG_WORD,
        ),
        source=MeasurementSource.MANUAL,
    )
    rotation = oncall_services.create_rotation(
        actor=user,
        programme=programme,
        access=access,
        name=LONG_WORD[:120],
        start=today - dt.timedelta(days=7),
        member_ids=[person.pk],
        timezone_name="UTC",
        shift_kind="daily",
    )
    incident = incidents.open_incident(
        actor=user,
        programme=programme,
        access=access,
        title=LONG_WORD[:200],
        severity="sev2",
        description=LONG_WORD,
    )
    runbook = incidents.save_runbook(
        actor=user, programme=programme, access=access, title=LONG_WORD[:200], body=LONG_WORD
    )
    base = programme.get_absolute_url()
    return [
        "/programmes/",
        base,
        base + "scorecard/",
        metric.get_absolute_url(),
        base + "oncall/",
        rotation.get_absolute_url(),
        f"/oncall/{rotation.pk}/handoff/",
        base + "incidents/",
        incident.get_absolute_url(),
        base + "runbooks/",
        runbook.get_absolute_url(),
        base + "audit/",
        base + "notifications/",
        "/inbox/",
        "/people/",
    ]


@pytest.mark.parametrize(("device", "width"), [(PHONE, 390), (DESKTOP, 1280)])
def test_long_names_wrap_on_a_phone_and_a_desktop(
    browser: Browser, live_server: Any, device: dict[str, Any], width: int
):
    paths = _long_named_programme()
    page = signed_in(browser, live_server.url, "marco", PASSWORD, **device)
    problems = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        if found := layout_problems(page, width):
            problems[path] = found
    assert not problems, "\n".join(f"{where}: {'; '.join(why)}" for where, why in problems.items())
