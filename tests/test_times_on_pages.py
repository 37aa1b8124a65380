"""Every page that shows a time shows it in the zone its label names, on both sides of a change of
clocks: a viewer in Europe/Rome, a rotation in Europe/London, a programme in America/New_York.

The pages are parsed: each ``<time>`` says which zone it is read in (its title); that must be the
viewer's, or the zone named by the section that holds it (``data-zone``, whose text names it),
and its text must be that zone's clock at the instant, with the zone's abbreviation. Any other
time of day in the text must name its zone."""

import datetime as dt
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from incidents.models import Incident, Runbook
from oncall import services as oncall_services
from programmes.models import Person, ProgrammeToken, Role
from programmes.registry.jobs import run_due_jobs
from programmes.rules import access_for
from tests.conftest import api_client_for, log_in
from tests.factories import (
    PASSWORD,
    MetricFactory,
    PersonFactory,
    ProgrammeFactory,
    measure,
    member,
)

pytestmark = pytest.mark.django_db
UTC = dt.UTC
VIEWER_ZONE = "Europe/Rome"
ROTATION_ZONE = "Europe/London"
PROGRAMME_ZONE = "America/New_York"
# New York changes clocks on 8 March 2026, Europe on 29 March.
SET_UP = dt.datetime(2026, 3, 2, 12, tzinfo=UTC)
BEFORE = dt.datetime(2026, 3, 5, 12, 7, tzinfo=UTC)
ACROSS = dt.datetime(2026, 3, 27, 12, 7, tzinfo=UTC)
AFTER = dt.datetime(2026, 3, 31, 12, 7, tzinfo=UTC)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
CLOCK = re.compile(
    r"^(?:(?P<weekday>\w{3}) (?P<day>\d{1,2}) (?P<month>\w{3})(?: (?P<year>\d{4}))? )?"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))? (?P<abbr>\S+)$"
)
DAY = re.compile(r"^(?P<weekday>\w{3}) (?P<day>\d{1,2}) (?P<month>\w{3})(?: (?P<year>\d{4}))?$")
TIME_OF_DAY = re.compile(r"\b\d{2}:\d{2}(?::\d{2})?\b")
NAMED_ZONE = re.compile(r"^(?::\d{2})?\s*\(?([A-Z]{2,5}\b|[A-Z][A-Za-z_]+/[A-Za-z_/]+)")


class Times(HTMLParser):
    """The ``<time>`` elements of a page, each with the zone of its section, and the text
    outside them."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None, list[str]]] = []
        self.times: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.zone_texts: dict[str, list[str]] = {}
        self._time: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "time":
            section = next((zone for _, zone, _ in reversed(self.open) if zone), None)
            self._time = {
                "datetime": attributes.get("datetime"),
                "title": attributes.get("title"),
                "section": section,
                "text": "",
            }
        if tag not in VOID:
            self.open.append((tag, attributes.get("data-zone"), []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "time" and self._time is not None:
            self.times.append(self._time)
            self._time = None
        while self.open:
            name, zone, texts = self.open.pop()
            if zone:
                self.zone_texts.setdefault(zone, []).append(" ".join(texts))
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, zone, texts in self.open:
            if zone:
                texts.append(data)
        if self._time is not None:
            self._time["text"] = (self._time["text"] or "") + data
        elif not any(name in ("script", "style", "textarea") for name, _, _ in self.open):
            self.text.append(data)


def check_page(html: str, url: str) -> list[dict[str, str | None]]:
    """Assert the page's times are in the zones their labels name; returns its times."""
    page = Times()
    page.feed(html)
    for element in page.times:
        text = " ".join((element["text"] or "").split())
        zone = element["section"] or VIEWER_ZONE
        assert element["title"] == zone, f"{url}: {text!r} is read in {element['title']}"
        local = dt.datetime.fromisoformat(element["datetime"] or "").astimezone(ZoneInfo(zone))
        clock = CLOCK.match(text)
        day = DAY.match(text)
        assert clock or day, f"{url}: {text!r} is not a time Keel shows"
        if clock:
            assert (int(clock["hour"]), int(clock["minute"])) == (local.hour, local.minute), (
                f"{url}: {text!r} is not {local:%H:%M} in {zone}"
            )
            assert clock["abbr"] == local.tzname(), f"{url}: {text!r} should say {local.tzname()}"
        parts = clock or day
        assert parts is not None
        if parts["day"]:
            assert (parts["weekday"], int(parts["day"]), parts["month"]) == (
                f"{local:%a}",
                local.day,
                f"{local:%b}",
            ), f"{url}: {text!r} is not the date in {zone}"
    for zone, texts in page.zone_texts.items():
        assert all(zone in text for text in texts), f"{url}: a section in {zone} does not say so"
    for chunk in page.text:
        if re.fullmatch(r"\s*\d{2}:\d{2}(:\d{2})?\s*", chunk):
            continue  # a wall-clock setting in an audit entry, beside its rotation's zone
        for found in TIME_OF_DAY.finditer(chunk):
            after = chunk[found.end() :]
            assert NAMED_ZONE.match(after), f"{url}: {chunk.strip()!r} does not name its zone"
    return page.times


@pytest.fixture
def world():
    """A programme reviewed in New York, a rotation in London, and Rosa, in Rome, on it."""
    with time_machine.travel(SET_UP, tick=False):
        programme = ProgrammeFactory(
            name="Claims triage",
            slug="claims-triage",
            stage="pilot",
            review_timezone=PROGRAMME_ZONE,
            review_weekday=1,
            review_time=dt.time(10, 0),
        )
        rosa_user = member(programme, Role.OWNER, username="rosa")
        rosa = PersonFactory(name="Rosa Conti", timezone=VIEWER_ZONE, user=rosa_user)
        ana, ben = PersonFactory(name="Ana"), PersonFactory(name="Ben")
        programme.oncall_lead = rosa
        programme.programme_owner = rosa
        programme.save()
        owner = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
        rotation = oncall_services.create_rotation(
            actor=rosa_user,
            programme=programme,
            access=owner,
            name="Primary",
            start=dt.date(2026, 3, 2),
            member_ids=[ana.pk, rosa.pk, ben.pk],
            timezone_name=ROTATION_ZONE,
            shift_kind="daily",
            handoff_time=dt.time(9, 0),
        )
        api = api_client_for(rosa_user)
        api.post(
            f"/api/v1/rotations/{rotation.pk}/overrides/",
            {"person_id": ben.pk, "start": "2026-03-28T20:00Z", "end": "2026-03-30T08:00Z"},
            format="json",
        )
        api.post(
            "/api/v1/time-off/",
            {"start": "2026-04-10T00:00Z", "end": "2026-04-12T00:00Z", "note": "Away"},
            format="json",
        )
        incident = api.post(
            f"/api/v1/programmes/{programme.slug}/incidents/",
            {"title": "Claims routed to fraud", "severity": "sev2"},
            format="json",
        ).json()
        api.post(f"/api/v1/incidents/{incident['id']}/serious/", {"kind": "standard"}, "json")
        metric = MetricFactory(programme=programme, name="Routing accuracy", owner=rosa)
        measure(metric, 80, 81, 79)
        ProgrammeToken.issue(programme=programme, name="harness", created_by=rosa_user)
        Runbook.objects.create(programme=programme, title="Routing errors", body="Roll back.")
    for moment in (BEFORE, ACROSS, AFTER):
        with time_machine.travel(moment, tick=False):
            run_due_jobs(timezone.now())
    return programme, rotation, rosa_user, metric


def pages(programme, rotation, metric) -> list[str]:
    incident = Incident.objects.get(programme=programme)
    slug = programme.slug
    return [
        f"/programmes/{slug}/",
        f"/programmes/{slug}/oncall/",
        f"/oncall/{rotation.pk}/?weeks=4",
        f"/oncall/{rotation.pk}/handoff/",
        f"/programmes/{slug}/incidents/",
        incident.get_absolute_url(),
        f"/programmes/{slug}/runbooks/",
        f"/programmes/{slug}/audit/",
        f"/programmes/{slug}/notifications/",
        f"/programmes/{slug}/scorecard/",
        metric.get_absolute_url(),
        "/inbox/",
        "/oncall/time-off/",
    ]


@pytest.mark.parametrize("moment", [BEFORE, ACROSS, AFTER], ids=["before", "across", "after"])
def test_every_time_on_every_page_is_in_the_zone_its_label_names(world, moment):
    programme, rotation, rosa_user, metric = world
    client = Client()
    assert log_in(client, username=rosa_user.username, password=PASSWORD)
    abbreviations: set[str] = set()
    with time_machine.travel(moment, tick=False):
        for url in pages(programme, rotation, metric):
            response = client.get(url)
            assert response.status_code == 200, url
            found = check_page(response.content.decode(), url)
            assert found, f"{url} shows no time"
            abbreviations |= {(t["text"] or "").split()[-1] for t in found}
    if moment is ACROSS:
        # The calendar crosses London's change of clocks; Rome's times cross it too.
        assert {"GMT", "BST", "CET", "CEST"} <= abbreviations
    else:
        expected = {"GMT", "CET"} if moment is BEFORE else {"BST", "CEST"}
        assert expected <= abbreviations


def test_the_labels_the_issue_names_read_right(world):
    programme, rotation, rosa_user, _ = world
    client = Client()
    assert log_in(client, username=rosa_user.username, password=PASSWORD)
    with time_machine.travel(AFTER, tick=False):
        calendar = client.get(f"/oncall/{rotation.pk}/").content.decode()
        handoff = client.get(f"/oncall/{rotation.pk}/handoff/").content.decode()
        audit = client.get(f"/programmes/{programme.slug}/audit/").content.decode()
        log = client.get(f"/programmes/{programme.slug}/notifications/").content.decode()
        overview = client.get(f"/programmes/{programme.slug}/").content.decode()
    # A 09:00 London handoff reads 09:00 in the calendar headed with London's zone.
    assert 'title="Europe/London">09:00 BST</time>' in calendar
    assert "handoff at 09:00 Europe/London" in calendar
    assert 'title="Europe/London">Tue 31 Mar 09:00 BST</time>' in handoff
    assert "When (Europe/Rome)" in audit
    assert "(UTC)" not in audit
    assert "Written (Europe/Rome)" in log
    # Tuesdays at 10:00 in New York is 16:00 in Rome once both have changed clocks.
    assert "Tuesdays at 10:00 (America/New_York); next" in overview
    assert 'title="Europe/Rome">Tue 31 Mar 16:00 CEST</time>' in overview


def test_a_viewer_without_a_zone_sees_utc_and_is_told_so(world):
    programme, _, _, _ = world
    plain = member(programme, Role.VIEWER, username="uma")
    assert not Person.objects.filter(user=plain).exists()
    client = Client()
    assert log_in(client, username="uma", password=PASSWORD)
    with time_machine.travel(AFTER, tick=False):
        html = client.get(f"/programmes/{programme.slug}/audit/").content.decode()
    assert "When (UTC)" in html
    assert 'title="UTC">' in html
