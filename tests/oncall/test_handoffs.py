"""Handoffs: who acknowledges and when, the handoff page on short shifts, and a page that only
reads."""

import datetime as dt
import html as entities
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents.models import Incident
from oncall import services
from oncall.jobs import prepare_handoffs
from oncall.models import Handoff
from programmes.models import Role
from programmes.rules import access_for
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD, PersonFactory, member

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
HANDOFF = dt.datetime(2026, 3, 3, 9, tzinfo=UTC)  # Ana → Ben on the daily rotation
WRITES = ("INSERT", "UPDATE", "DELETE")


def text(page: str) -> str:
    """What a reader sees: the page without its tags, its spaces run together."""
    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(" .", ".")


def signed_in(user) -> Client:
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


def rotation_of(programme, people, **settings):
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        return services.create_rotation(
            actor=None,
            programme=programme,
            access=OWNER,
            name=settings.pop("name", "Primary"),
            start=dt.date(2026, 3, 2),
            member_ids=[p.pk for p in people],
            timezone_name="Europe/London",
            **{"shift_kind": "daily", **settings},
        )


@pytest.fixture
def team(programme):
    """Ana, Ben and Cleo on a daily rotation; Ben and Cleo have accounts; Marco owns the
    programme (not on the rotation); Lena is the on-call lead; Eddie only edits."""
    ana, ben, cleo = (PersonFactory(name=name) for name in ("Ana", "Ben", "Cleo"))
    for person, username, role in ((ben, "ben", Role.VIEWER), (cleo, "cleo", Role.VIEWER)):
        person.user = member(programme, role, username=username)
        person.save()
    marco = PersonFactory(name="Marco Bianchi", user=member(programme, Role.OWNER, username="mb"))
    lena = PersonFactory(name="Lena", user=member(programme, Role.VIEWER, username="lena"))
    programme.programme_owner, programme.oncall_lead = marco, lena
    programme.save()
    editor = member(programme, Role.EDITOR, username="eddie")
    rotation = rotation_of(programme, [ana, ben, cleo])
    return rotation, {"ana": ana, "ben": ben, "cleo": cleo, "marco": marco, "lena": lena}, editor


def prepared(at: dt.datetime) -> None:
    with time_machine.travel(at, tick=False):
        prepare_handoffs(timezone.now())


def test_someone_not_incoming_cannot_acknowledge_for_the_incoming_engineer(team):
    rotation, people, editor = team
    prepared(HANDOFF - dt.timedelta(minutes=39))
    row = Handoff.objects.get(rotation=rotation, starts_at=HANDOFF)
    url = f"/api/v1/handoffs/{row.pk}/acknowledge/"
    with time_machine.travel(HANDOFF + dt.timedelta(minutes=1), tick=False):
        for user in (people["marco"].user, editor, people["cleo"].user):
            refused = api_client_for(user).post(url)
            assert refused.status_code == 403
            assert "Only Ben, the incoming engineer" in refused.json()["detail"]
        page = signed_in(people["marco"].user).post(
            f"/oncall/{rotation.pk}/handoffs/{row.pk}/acknowledge/"
        )
        assert page.status_code == 403
    row.refresh_from_db()
    assert row.acknowledged_at is None


def test_the_lead_or_an_owner_acknowledges_for_someone_only_saying_why(team):
    rotation, people, editor = team
    prepared(HANDOFF - dt.timedelta(minutes=39))
    row = Handoff.objects.get(rotation=rotation, starts_at=HANDOFF)
    url = f"/api/v1/handoffs/{row.pk}/acknowledge/"
    marco = api_client_for(people["marco"].user)
    with time_machine.travel(HANDOFF - dt.timedelta(minutes=39), tick=False):
        early = marco.post(url, {"on_behalf": True, "reason": "Ben's phone died"}, format="json")
        assert early.status_code == 400
        assert "from 15 minutes before it" in early.json()["non_field_errors"][0]
    with time_machine.travel(HANDOFF + dt.timedelta(minutes=2), tick=False):
        bare = marco.post(url, {"on_behalf": True}, format="json")
        assert bare.json() == {"reason": ["Say why you acknowledge for Ben."]}
        assert api_client_for(editor).post(url, {"on_behalf": True, "reason": "x"}).status_code == (
            403
        )
        said = marco.post(url, {"on_behalf": True, "reason": "Ben's phone died"}, format="json")
        assert said.status_code == 200, said.content
        body = said.json()
        assert body["acknowledged_on_behalf"] is True
        assert body["acknowledgement_reason"] == "Ben's phone died"
        assert body["acknowledged_by"] == "mb"
        assert body["acknowledgement"] == "acknowledged for Ben by Marco Bianchi: Ben's phone died"
        html = signed_in(people["ben"].user).get(f"/oncall/{rotation.pk}/handoff/")
    assert "✔ acknowledged for Ben by Marco Bianchi: Ben's phone died" in text(
        html.content.decode()
    )


def test_the_on_call_lead_acknowledges_for_someone_on_the_page_and_a_refusal_keeps_the_form(team):
    rotation, people, _ = team
    prepared(HANDOFF - dt.timedelta(minutes=10))
    row = Handoff.objects.get(rotation=rotation, starts_at=HANDOFF)
    client = signed_in(people["lena"].user)
    url = f"/oncall/{rotation.pk}/handoffs/{row.pk}/acknowledge/"
    field = f"handoff-{row.pk}"
    with time_machine.travel(HANDOFF + dt.timedelta(minutes=5), tick=False):
        page = client.get(f"/oncall/{rotation.pk}/handoff/").content.decode()
        assert "Acknowledge for Ben" in page
        assert ">I have it<" not in page  # Lena is not coming in
        refused = client.post(url, {f"{field}-on_behalf": "on", f"{field}-reason": " "})
        assert refused.status_code == 400
        html = refused.content.decode()
        assert "<html" in html
        assert 'class="field invalid"' in html
        assert "Say why you acknowledge for Ben." in html
        done = client.post(
            url, {f"{field}-on_behalf": "on", f"{field}-reason": "Ben is on the train"}, follow=True
        )
    assert "acknowledged for Ben by Lena: Ben is on the train" in done.content.decode()


def test_the_incoming_engineer_acknowledges_from_15_minutes_before(team):
    rotation, people, _ = team
    prepared(HANDOFF - dt.timedelta(minutes=30))
    row = Handoff.objects.get(rotation=rotation, starts_at=HANDOFF)
    ben = api_client_for(people["ben"].user)
    url = f"/api/v1/handoffs/{row.pk}/acknowledge/"
    with time_machine.travel(HANDOFF - dt.timedelta(minutes=16), tick=False):
        assert ben.post(url).status_code == 400
        page = signed_in(people["ben"].user).get(f"/oncall/{rotation.pk}/handoff/")
        assert "It can be acknowledged from Tue 3 Mar 08:45 GMT" in text(page.content.decode())
    with time_machine.travel(HANDOFF - dt.timedelta(minutes=14), tick=False):
        mine = ben.post(url)
    assert mine.status_code == 200
    assert mine.json()["acknowledgement"] == "Ben has it"
    assert mine.json()["acknowledged_on_behalf"] is False
    assert ben.post(url, {"on_behalf": True, "reason": "x"}, format="json").status_code == 400


@pytest.fixture
def hourly(programme):
    """Dana, Eve and Finn in 1-hour shifts from 00:00 UTC on 2 March 2026."""
    dana, eve, finn = (PersonFactory(name=name) for name in ("Dana", "Eve", "Finn"))
    eve.user = member(programme, Role.VIEWER, username="eve")
    eve.save()
    rotation = rotation_of(
        programme, [dana, eve, finn], shift_kind="hours", shift_hours=1, handoff_time=dt.time(0)
    )
    return rotation, dana, eve, finn


def test_on_one_hour_shifts_the_page_shows_the_shift_that_just_began(programme, hourly):
    rotation, _, eve, _ = hourly
    handoff_at = dt.datetime(2026, 3, 2, 10, tzinfo=UTC)  # Dana (09–10) → Eve (10–11)
    Incident.objects.create(
        programme=programme,
        title="Queue stalled",
        severity="sev3",
        opened_at=handoff_at - dt.timedelta(minutes=5),
    )
    prepared(handoff_at - dt.timedelta(minutes=2))
    prepared(handoff_at + dt.timedelta(seconds=30))
    received = Handoff.objects.get(rotation=rotation, starts_at=handoff_at)
    outgoing = Handoff.objects.get(rotation=rotation, starts_at=handoff_at + dt.timedelta(hours=1))
    assert (received.incoming, outgoing.outgoing) == (eve, eve)
    client = signed_in(eve.user)
    with time_machine.travel(handoff_at + dt.timedelta(minutes=1), tick=False):
        html = client.get(f"/oncall/{rotation.pk}/handoff/").content.decode()
        current = text(html.split('data-testid="current-handoff"')[1].split("next-handoff")[0])
        coming = text(html.split('data-testid="next-handoff"')[1].split('id="incidents"')[0])
        assert "Dana → Eve" in current
        assert "Changed hands Mon 2 Mar 10:00 GMT (1 min ago)" in current
        assert "I have it" in current
        assert "Eve → Finn" in coming
        assert "Changes hands Mon 2 Mar 11:00 GMT (in 59 min)" in coming
        assert "I have it" not in coming
        assert "Write the notes" in coming  # Eve, now on call, writes for Finn
        opened = html.split('data-testid="opened-incidents"')[1].split("</ul>")[0]
        assert "Queue stalled" in opened
        assert "Since the start of the outgoing shift, Mon 2 Mar 09:00 GMT" in text(html)
        client.post(f"/oncall/{rotation.pk}/handoffs/{received.pk}/acknowledge/")
        notes = client.post(
            f"/oncall/{rotation.pk}/handoffs/{outgoing.pk}/notes/",
            {f"handoff-{outgoing.pk}-notes": "Queue drained."},
        )
        assert notes.status_code == 302
    received.refresh_from_db()
    outgoing.refresh_from_db()
    assert received.acknowledged_at is not None
    assert outgoing.acknowledged_at is None
    assert outgoing.notes == "Queue drained."


def test_the_tick_prepares_the_next_handoff_however_far_ahead_once(programme):
    people = [PersonFactory(name=name) for name in ("Ana", "Ben")]
    rotation = rotation_of(programme, people, shift_kind="weekly", handoff_weekday=0)
    with time_machine.travel(dt.datetime(2026, 3, 4, 12, tzinfo=UTC), tick=False):
        assert prepare_handoffs(timezone.now()) == 1  # next Monday's, a week ahead
        assert prepare_handoffs(timezone.now()) == 0
    starts = sorted(Handoff.objects.filter(rotation=rotation).values_list("starts_at", flat=True))
    assert starts == [dt.datetime(2026, 3, 9, 9, tzinfo=UTC)]
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False):
        prepare_handoffs(timezone.now())
    assert Handoff.objects.filter(rotation=rotation).count() == 2


def _load(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries]


def test_a_get_of_the_handoff_page_writes_nothing_whatever_the_shift_length(owner, programme):
    people = [PersonFactory(name=name) for name in ("Ana", "Ben", "Cleo")]
    shapes = {
        "weekly": {"shift_kind": "weekly", "handoff_weekday": 0},
        "daily": {"shift_kind": "daily"},
        "4-hourly": {"shift_kind": "hours", "shift_hours": 4},
    }
    rotations = {
        name: rotation_of(programme, people, name=name, **shape) for name, shape in shapes.items()
    }
    client = signed_in(owner)
    with time_machine.travel(dt.datetime(2026, 3, 20, 13, 30, tzinfo=UTC), tick=False):
        prepare_handoffs(timezone.now())
        before = Handoff.objects.count()
        counts = {}
        for name, rotation in rotations.items():
            url = f"/oncall/{rotation.pk}/handoff/"
            _load(client, url)  # the session and the like, once
            counts[name], statements = _load(client, url)
            assert not [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]
    assert Handoff.objects.count() == before
    assert len(set(counts.values())) == 1, counts


def test_a_brand_new_rotations_handoff_page_works_before_its_first_handoff(owner, programme):
    people = [PersonFactory(name=name) for name in ("Ana", "Ben")]
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=UTC), tick=False):
        rotation = rotation_of(programme, people, shift_kind="weekly", handoff_weekday=2)
        prepare_handoffs(timezone.now())
        response = signed_in(owner).get(f"/oncall/{rotation.pk}/handoff/")
    html = text(response.content.decode())
    assert response.status_code == 200
    assert "No handoff yet on this rotation" in html
    assert "Changes hands Wed 11 Mar 09:00 UTC (in 10 days)" in html  # Ana → Ben, week two


def test_a_coming_handoff_given_to_someone_else_loses_its_acknowledgement(team):
    rotation, people, _ = team
    prepared(HANDOFF - dt.timedelta(minutes=20))
    row = Handoff.objects.get(rotation=rotation, starts_at=HANDOFF)
    with time_machine.travel(HANDOFF - dt.timedelta(minutes=10), tick=False):
        assert (
            api_client_for(people["ben"].user)
            .post(f"/api/v1/handoffs/{row.pk}/acknowledge/")
            .status_code
            == 200
        )
        services.create_override(
            actor=None,
            rotation=rotation,
            access=OWNER,
            person=people["cleo"],
            start=HANDOFF,
            end=HANDOFF + dt.timedelta(hours=8),
        )
        prepare_handoffs(timezone.now())
    row.refresh_from_db()
    assert row.incoming == people["cleo"]
    assert row.acknowledged_at is None
