"""The rotation page: a calendar that shows where each shift starts and ends, overrides with their
year, and forms that work without JavaScript."""

import datetime as dt
import html as entities
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from oncall import services
from oncall.models import CalendarFeedToken, Handoff, Override
from programmes.models import Programme, Role
from programmes.rules import access_for
from tests.conftest import log_in
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
NOW = dt.datetime(2026, 11, 24, 12, tzinfo=UTC)


def text(page: str) -> str:
    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def signed_in(user) -> Client:
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


def day_row(page: str, day: str) -> str:
    """The text of the calendar row of ``day`` (“Tue 24 Nov”)."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S)
    return next(text(row) for row in rows if text(row).startswith(day))


@pytest.fixture
def weekly(programme):
    people = [PersonFactory(name=name) for name in ("Daniel Kim", "Oliver Grant")]
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=UTC), tick=False):
        rotation = services.create_rotation(
            actor=None,
            programme=programme,
            access=OWNER,
            name="Copilot primary",
            start=dt.date(2026, 11, 2),
            member_ids=[p.pk for p in people],
            timezone_name="Europe/London",
            shift_kind="weekly",
            handoff_weekday=1,
        )
    return rotation, people


@time_machine.travel(NOW, tick=False)
def test_a_weekly_shift_shows_where_it_starts_and_ends(owner, weekly):
    rotation, _ = weekly
    page = signed_in(owner).get(f"/oncall/{rotation.pk}/").content.decode()
    # Tuesday 24 November 09:00 London: Daniel hands to Oliver, who has the week.
    assert day_row(page, "Tue 24 Nov") == (
        "Tue 24 Nov Daniel Kim until 09:00 GMT Oliver Grant from 09:00 GMT"
    )
    assert day_row(page, "Wed 25 Nov") == "Wed 25 Nov Oliver Grant all day"
    assert day_row(page, "Tue 1 Dec") == (
        "Tue 1 Dec Oliver Grant until 09:00 GMT Daniel Kim from 09:00 GMT"
    )
    assert "01:00–10:00" not in text(page)


@time_machine.travel(NOW, tick=False)
def test_an_override_in_another_year_shows_its_year(owner, weekly):
    rotation, people = weekly
    Override.objects.create(
        rotation=rotation,
        person=people[1],
        start=dt.datetime(2026, 12, 10, 9, tzinfo=UTC),
        end=dt.datetime(2036, 12, 10, 9, tzinfo=UTC),
    )
    overrides = signed_in(owner).get(f"/oncall/{rotation.pk}/").content.decode()
    listed = text(overrides.split('id="overrides"')[1].split("</ul>")[0])
    assert "Oliver Grant: Thu 10 Dec 09:00 UTC – Wed 10 Dec 2036 09:00 UTC" in listed


@time_machine.travel(NOW, tick=False)
def test_creating_a_calendar_link_without_javascript_answers_with_the_whole_page(owner, weekly):
    rotation, _ = weekly
    client = signed_in(owner)
    plain = client.post(f"/oncall/{rotation.pk}/calendar-feeds/")
    page = plain.content.decode()
    assert plain.status_code == 200
    assert "<html" in page
    assert "Calendar subscription" in page
    assert re.search(r"/oncall/rotations/\d+/calendar\.ics\?token=", page)
    fragment = client.post(f"/oncall/{rotation.pk}/calendar-feeds/", HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert 'id="feed-link"' in fragment.content.decode()
    assert CalendarFeedToken.objects.filter(rotation=rotation).count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_refused_override_keeps_its_values_with_the_error_beside_the_field(owner, weekly):
    rotation, people = weekly
    client = signed_in(owner)
    url = f"/oncall/{rotation.pk}/overrides/"
    data = {
        "person": people[1].pk,
        "start": "2026-12-02T10:00",
        "end": "2026-12-02T08:00",
        "reason": "Daniel at the dentist",
    }
    backwards = client.post(url, data)
    assert backwards.status_code == 400
    page = backwards.content.decode()
    assert "<html" in page
    end_field = page.split('<label for="id_end">')[1].split('<div class="field')[0]
    assert "The end must come after the start." in end_field
    assert 'value="2026-12-02T08:00"' in end_field
    assert 'value="2026-12-02T10:00"' in page
    assert 'value="Daniel at the dentist"' in page
    assert f'<option value="{people[1].pk}" selected>' in page

    client.post(url, {**data, "end": "2026-12-02T18:00"})
    clash = client.post(url, {**data, "start": "2026-12-02T12:00", "end": "2026-12-02T20:00"})
    assert clash.status_code == 400
    start_field = clash.content.decode().split('<label for="id_start">')[1].split("<div class")[0]
    assert "overlaps Oliver Grant&#x27;s override" in start_field
    assert 'value="2026-12-02T12:00"' in start_field
    htmx = client.post(url, {**data, "end": "2026-12-01T08:00"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400
    assert "<html" not in htmx.content.decode()
    assert "The end must come after the start." in htmx.content.decode()
    assert Override.objects.count() == 1


def test_each_demo_programmes_handoff_notes_are_about_that_programme():
    call_command("load_demo", stdout=None)
    notes = {
        handoff.rotation.programme.name: handoff.notes
        for handoff in Handoff.objects.exclude(notes="").select_related("rotation__programme")
    }
    assert set(notes) == set(
        Programme.objects.filter(rotations__isnull=False).values_list("name", flat=True)
    )
    assert "claims" in notes["Claims triage assistant"].lower()
    for name in ("Customer support copilot", "Contract clause extraction"):
        assert "claims" not in notes[name].lower()
    assert "support-llm-v4" in notes["Customer support copilot"]
    assert "contract" in notes["Contract clause extraction"].lower()
