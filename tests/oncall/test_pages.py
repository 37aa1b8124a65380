import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from oncall import services
from oncall.jobs import prepare_handoffs
from oncall.models import Handoff, Override, Rotation
from programmes.models import Role
from programmes.rules import access_for
from tests.conftest import log_in
from tests.factories import PASSWORD, PersonFactory, member

pytestmark = pytest.mark.django_db
UTC = dt.UTC
OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)


def signed_in(user) -> Client:
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def team(programme):
    people = [PersonFactory(name=name) for name in ("Ana", "Ben", "Cleo")]
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = services.create_rotation(
            actor=None,
            programme=programme,
            access=OWNER,
            name="Primary",
            start=dt.date(2026, 3, 2),
            member_ids=[p.pk for p in people],
            timezone_name="Europe/London",
            shift_kind="daily",
        )
    return rotation, people


def test_demo_data_shows_on_call_everywhere():
    call_command("load_demo", stdout=None)
    client = Client()
    assert log_in(client, username="oncall", password="demo")
    overview = client.get("/programmes/claims-triage-assistant/").content.decode()
    assert "Who's on call" in overview
    assert "Claims primary" in overview
    tab = client.get("/programmes/claims-triage-assistant/oncall/").content.decode()
    assert 'data-testid="on-call-now"' in tab
    rotation = Rotation.objects.get(name="Claims primary")
    calendar = client.get(f"/oncall/{rotation.pk}/")
    assert calendar.status_code == 200
    html = calendar.content.decode()
    assert "shift-gap" in html  # Jonas's time off, not yet covered
    assert "Nobody (Jonas Weber away)" in html
    handoff = client.get(f"/oncall/{rotation.pk}/handoff/").content.decode()
    assert "Outgoing notes" in handoff
    assert "<strong>Quiet shift.</strong>" in handoff
    secondary = Rotation.objects.get(name="Claims secondary")
    assert "shift-override" in client.get(f"/oncall/{secondary.pk}/?weeks=4").content.decode()


def test_handoff_page_sanitises_notes_and_the_incoming_engineer_acknowledges(programme, team):
    rotation, people = team
    ben = member(programme, Role.VIEWER, username="ben")
    people[1].user = ben
    people[1].save()
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 10, tzinfo=UTC), tick=False):
        prepare_handoffs(timezone.now())
        client = signed_in(ben)
        page = client.get(f"/oncall/{rotation.pk}/handoff/")
        handoff = Handoff.objects.get(starts_at=dt.datetime(2026, 3, 3, 9, tzinfo=UTC))
        assert (handoff.outgoing, handoff.incoming) == (people[0], people[1])
        Handoff.objects.filter(pk=handoff.pk).update(
            notes="Watch **latency**.<script>alert(1)</script> [x](javascript:alert(1))"
        )
        html = client.get(f"/oncall/{rotation.pk}/handoff/").content.decode()
        assert "<strong>latency</strong>" in html
        notes = html.split('data-testid="handoff-notes">')[1].split("</div>")[0]
        assert "<script" not in notes
        assert "javascript:" not in notes
        assert "I have it" in page.content.decode()
        client.post(f"/oncall/{rotation.pk}/handoffs/{handoff.pk}/acknowledge/")
        handoff.refresh_from_db()
        assert handoff.acknowledged_at is not None
        assert (
            'data-testid="acknowledged"'
            in client.get(f"/oncall/{rotation.pk}/handoff/").content.decode()
        )


def test_rotation_form_refuses_bad_input_inline(owner, programme):
    people = [PersonFactory(name="Ana")]
    client = signed_in(owner)
    data = {
        "name": "Primary",
        "level": "primary",
        "timezone": "Mars/Olympus",
        "shift_kind": "weekly",
        "shift_hours": "12",
        "handoff_time": "09:00",
        "handoff_weekday": "0",
        "start": "2026-03-02",
        "member_1": "",
    }
    response = client.post(
        f"/programmes/{programme.slug}/oncall/new/", data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“Mars/Olympus” is not a known time zone" in html
    assert "A rotation needs at least one member." in html
    assert not Rotation.objects.exists()
    ok = client.post(
        f"/programmes/{programme.slug}/oncall/new/",
        {**data, "timezone": "Europe/London", "member_1": str(people[0].pk)},
        HTTP_HX_REQUEST="true",
    )
    assert ok.status_code == 200
    assert Rotation.objects.get().name == "Primary"


@time_machine.travel(dt.datetime(2027, 1, 4, 12, tzinfo=UTC), tick=False)
def test_override_form_reports_overlap(owner, programme, team):
    rotation, people = team
    client = signed_in(owner)
    url = f"/oncall/{rotation.pk}/overrides/"
    data = {"person": people[2].pk, "start": "2027-04-02T10:00", "end": "2027-04-02T18:00"}
    client.post(url, data)
    clash = client.post(url, {**data, "start": "2027-04-02T12:00"}, follow=True)
    assert "overlaps Cleo&#x27;s override" in clash.content.decode()
    backwards = client.post(url, {**data, "end": "2027-04-02T08:00"}, follow=True)
    assert "The end must come after the start." in backwards.content.decode()
    over = client.post(
        url, {**data, "start": "2026-01-02T08:00", "end": "2026-01-02T09:00"}, follow=True
    )
    assert "That period is already over" in over.content.decode()
    assert Override.objects.count() == 1


def test_rotation_pages_refuse_outsiders_and_viewers(outsider, viewer, programme, team):
    rotation, _ = team
    assert signed_in(outsider).get(f"/oncall/{rotation.pk}/").status_code == 404
    assert signed_in(outsider).get(f"/oncall/{rotation.pk}/handoff/").status_code == 404
    assert signed_in(outsider).get(f"/programmes/{programme.slug}/oncall/").status_code == 404
    assert signed_in(viewer).get(f"/oncall/{rotation.pk}/edit/").status_code == 403
    assert signed_in(viewer).post(f"/oncall/{rotation.pk}/overrides/", {}).status_code == 403


def test_rotation_calendar_runs_a_constant_number_of_queries(
    owner, programme, team, django_assert_max_num_queries
):
    rotation, people = team
    for day in range(20):
        start = timezone.now() + dt.timedelta(days=day, hours=1)
        Override.objects.create(
            rotation=rotation, person=people[0], start=start, end=start + dt.timedelta(hours=2)
        )
    client = signed_in(owner)
    with django_assert_max_num_queries(20):
        response = client.get(f"/oncall/{rotation.pk}/?weeks=13")
    assert response.status_code == 200
