import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from oncall.jobs import prepare_handoffs, remind_gaps, remind_unacknowledged_handoffs
from oncall.models import (
    CalendarFeedToken,
    CoverRequest,
    Handoff,
    Override,
    Rotation,
    RotationVersion,
    TimeOff,
)
from oncall.notification_kinds import (
    COVER_REQUEST,
    HANDOFF_UNACKNOWLEDGED,
    ROTATION_CHANGED,
    ROTATION_GAP,
)
from programmes.models import Channel, Notification, Role
from programmes.registry.jobs import run_due_jobs
from tests.conftest import api_client_for
from tests.factories import PersonFactory, ProgrammeFactory, member

pytestmark = pytest.mark.django_db
UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def mid_march():
    """Mid-March 2026: the April dates these tests use are still to come."""
    with time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def people():
    return [PersonFactory(name=name) for name in ("Ana", "Ben", "Cleo")]


def rotation_body(people, **changes):
    body = {
        "name": "Primary",
        "level": "primary",
        "timezone": "Europe/London",
        "shift_kind": "daily",
        "handoff_time": "09:00",
        "start": "2026-03-01",
        "member_ids": [p.pk for p in people],
    }
    return {**body, **changes}


def create(client, programme, people, **changes):
    response = client.post(
        f"/api/v1/programmes/{programme.slug}/rotations/",
        rotation_body(people, **changes),
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def schedule(client, rotation_id, start, end):
    response = client.get(
        f"/api/v1/rotations/{rotation_id}/schedule/",
        {"start": start.isoformat(), "end": end.isoformat()},
    )
    assert response.status_code == 200, response.content
    return response.json()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def parse(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("zone", "start", "change_day", "hours"),
    [
        ("Europe/London", "2026-03-20", dt.date(2026, 3, 28), 23),
        ("Europe/London", "2026-10-20", dt.date(2026, 10, 24), 25),
        ("America/New_York", "2026-03-01", dt.date(2026, 3, 7), 23),
        ("America/New_York", "2026-10-25", dt.date(2026, 10, 31), 25),
    ],
)
def test_handoff_stays_at_local_wall_clock_time_across_dst(
    owner, programme, people, zone, start, change_day, hours
):
    client = api_client_for(owner)
    rotation = create(client, programme, people, timezone=zone, start=start)
    tz = ZoneInfo(zone)
    window_start = dt.datetime.combine(change_day - dt.timedelta(days=1), dt.time(9), tz)
    found = schedule(client, rotation["id"], window_start, window_start + dt.timedelta(days=3))
    shifts = found["shifts"]
    assert [parse(s["start"]).astimezone(tz).time() for s in shifts] == [dt.time(9)] * 3
    assert [(parse(s["end"]) - parse(s["start"])).total_seconds() / 3600 for s in shifts] == [
        24,
        hours,
        24,
    ]

    # Frozen just before and at the handoff after the change: who is on call flips at 09:00 local.
    handoff = dt.datetime.combine(change_day + dt.timedelta(days=1), dt.time(9), tz)
    with time_machine.travel(handoff - dt.timedelta(minutes=1), tick=False):
        before = client.get(f"/api/v1/rotations/{rotation['id']}/oncall-now/").json()
    with time_machine.travel(handoff, tick=False):
        after = client.get(f"/api/v1/rotations/{rotation['id']}/oncall-now/").json()
    assert before["now"]["person"]["id"] != after["now"]["person"]["id"]
    assert parse(before["now"]["end"]) == handoff
    assert before["next"]["person"] == after["now"]["person"]
    assert parse(after["now"]["start"]).astimezone(tz).time() == dt.time(9)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"member_ids": []}, "member_ids", "at least one member"),
        ({"timezone": "Europe/Atlantis"}, "timezone", "not a known time zone"),
        ({"shift_kind": "fortnightly"}, "shift_kind", "is not a valid choice"),
        ({"handoff_time": "25:00"}, "handoff_time", "Time has wrong format"),
        ({"member_ids": [999999]}, "member_ids", "No person with id 999999"),
        ({"name": ""}, "name", "may not be blank"),
    ],
)
def test_bad_rotation_input_is_refused(owner, programme, people, changes, field, message):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/rotations/",
        rotation_body(people, **changes),
        format="json",
    )
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Rotation.objects.exists()


def test_overrides_must_end_after_they_start_and_never_overlap(owner, programme, people, mid_march):
    client = api_client_for(owner)
    rotation = create(client, programme, people)
    url = f"/api/v1/rotations/{rotation['id']}/overrides/"
    backwards = client.post(
        url,
        {"person_id": people[0].pk, "start": "2026-04-02T10:00Z", "end": "2026-04-02T09:00Z"},
        format="json",
    )
    assert backwards.status_code == 400
    assert "end must come after the start" in backwards.json()["end"][0]
    first = client.post(
        url,
        {"person_id": people[0].pk, "start": "2026-04-02T10:00Z", "end": "2026-04-02T18:00Z"},
        format="json",
    )
    assert first.status_code == 201
    overlapping = client.post(
        url,
        {"person_id": people[1].pk, "start": "2026-04-02T17:00Z", "end": "2026-04-03T09:00Z"},
        format="json",
    )
    assert overlapping.status_code == 400
    assert "overlaps Ana's override" in overlapping.json()["start"][0]
    assert Override.objects.count() == 1

    found = schedule(
        client,
        rotation["id"],
        dt.datetime(2026, 4, 2, 8, tzinfo=UTC),
        dt.datetime(2026, 4, 2, 20, tzinfo=UTC),
    )
    # 2 April is Cleo's day (the 33rd day of a three-person daily rotation from 1 March).
    assert [(s["person"]["name"], s["source"]) for s in found["shifts"]] == [
        ("Cleo", "rotation"),
        ("Ana", "override"),
        ("Cleo", "rotation"),
    ]


def test_editing_the_order_keeps_last_week_and_tells_each_moved_person_once(
    owner, programme, people
):
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(client, programme, people, start="2026-03-02")
    with time_machine.travel(dt.datetime(2026, 4, 15, 12, tzinfo=UTC), tick=False):
        last_week = (dt.datetime(2026, 4, 6, tzinfo=UTC), dt.datetime(2026, 4, 13, tzinfo=UTC))
        before = schedule(client, rotation["id"], *last_week)
        response = client.patch(
            f"/api/v1/rotations/{rotation['id']}/",
            {"member_ids": [people[2].pk, people[1].pk, people[0].pk]},
            format="json",
        )
        assert response.status_code == 200, response.content
        after = schedule(client, rotation["id"], *last_week)
        # The change waits for the next handoff: 16 April 09:00 London.
        assert parse(response.json()["settings"]["effective_from"]) == dt.datetime(
            2026, 4, 16, 8, tzinfo=UTC
        )
        today = schedule(
            client,
            rotation["id"],
            dt.datetime(2026, 4, 15, 12, tzinfo=UTC),
            dt.datetime(2026, 4, 16, 7, tzinfo=UTC),
        )
    assert after == before
    assert len(today["shifts"]) == 1  # today's shift is untouched
    moved = Notification.objects.filter(kind=ROTATION_CHANGED, channel=Channel.IN_APP)
    # Ben stays in the middle of a three-person cycle: only Ana and Cleo moved.
    assert sorted(n.recipient.name for n in moved) == ["Ana", "Cleo"]


def test_calendar_feed_matches_the_schedule_and_keeps_stable_uids(owner, programme, people):
    client = api_client_for(owner)
    rotation = create(client, programme, people, start="2026-01-05")
    Override.objects.create(
        rotation_id=rotation["id"],
        person=people[0],
        start=dt.datetime(2026, 2, 10, 12, tzinfo=UTC),
        end=dt.datetime(2026, 2, 10, 18, tzinfo=UTC),
    )
    issued = client.post(f"/api/v1/rotations/{rotation['id']}/calendar-feeds/")
    assert issued.status_code == 201
    url = issued.json()["url"]
    assert "token=" in url
    path = path_of(url)
    stored = CalendarFeedToken.objects.get()
    assert stored.key_hash != path.split("token=")[1]

    with time_machine.travel(dt.datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False):
        first = Client().get(path)
        # The feed covers 30 days back to 180 ahead in whole shifts: 2 Jan 09:00 GMT to
        # 1 Aug 09:00 BST.
        found = schedule(
            client,
            rotation["id"],
            dt.datetime(2026, 1, 2, 9, tzinfo=UTC),
            dt.datetime(2026, 8, 1, 8, tzinfo=UTC),
        )
    with time_machine.travel(dt.datetime(2026, 2, 1, 13, tzinfo=UTC), tick=False):
        second = Client().get(path)
    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(first.content)
    events = [c for c in calendar.walk("VEVENT")]
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids))
    again = [str(e["uid"]) for e in icalendar.Calendar.from_ical(second.content).walk("VEVENT")]
    assert again == uids
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        (parse(s["start"]), parse(s["end"])) for s in found["shifts"]
    ]
    assert events[0].decoded("dtstart").tzinfo.key == "Europe/London"
    assert calendar.walk("VTIMEZONE")
    assert any("(override)" in str(e["summary"]) for e in events)

    revoked = client.delete(f"/api/v1/calendar-feeds/{stored.pk}/")
    assert revoked.status_code == 200
    assert Client().get(path).status_code == 404
    assert Client().get(path.split("?")[0] + "?token=wrong").status_code == 404


def test_person_feed_lists_only_their_shifts(owner, programme, people):
    people[0].user = owner
    people[0].save()
    client = api_client_for(owner)
    create(client, programme, people, start="2026-01-05")
    issued = client.post("/api/v1/me/calendar-feeds/").json()
    with time_machine.travel(dt.datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False):
        response = Client().get(path_of(issued["url"]))
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert events
    assert all("Ana" in str(e["summary"]) for e in events)


def test_handoff_notes_acknowledgement_and_the_lead_told_once(programme, people):
    lead = PersonFactory(name="Lead")
    programme.oncall_lead = lead
    programme.stage = "pilot"
    programme.save()
    editor = member(programme, Role.EDITOR, username="ed")
    incoming_user = member(programme, Role.VIEWER, username="ben")
    people[1].user = incoming_user
    people[1].save()
    people[2].user = member(programme, Role.VIEWER, username="cleo")
    people[2].save()
    client = api_client_for(editor)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        create(client, programme, people, start="2026-03-02")
    handoff_at = dt.datetime(2026, 3, 3, 9, tzinfo=UTC)  # Ana → Ben
    with time_machine.travel(handoff_at - dt.timedelta(minutes=10), tick=False):
        run_due_jobs(timezone.now())
        handoff = Handoff.objects.get(starts_at=handoff_at)
        assert (handoff.outgoing.name, handoff.incoming.name) == ("Ana", "Ben")
        notes = client.patch(
            f"/api/v1/handoffs/{handoff.pk}/", {"notes": "Queue **quiet**"}, format="json"
        )
        assert notes.status_code == 200
    with time_machine.travel(handoff_at + dt.timedelta(minutes=29), tick=False):
        run_due_jobs(timezone.now())
        assert remind_unacknowledged_handoffs(timezone.now()) == 0
    with time_machine.travel(handoff_at + dt.timedelta(minutes=31), tick=False):
        run_due_jobs(timezone.now())
        run_due_jobs(timezone.now())
    told = Notification.objects.filter(kind=HANDOFF_UNACKNOWLEDGED, channel=Channel.IN_APP)
    assert [n.recipient for n in told] == [lead]
    kinds = set(Notification.objects.values_list("kind", "recipient__name"))
    assert ("shift_soon", "Ben") in kinds
    assert ("handoff", "Ana") in kinds
    assert ("handoff", "Ben") in kinds

    # The next day's handoff is acknowledged in time by Cleo, coming in: the lead hears nothing
    # more.
    next_at = handoff_at + dt.timedelta(days=1)
    with time_machine.travel(next_at - dt.timedelta(minutes=5), tick=False):
        run_due_jobs(timezone.now())
    with time_machine.travel(next_at + dt.timedelta(minutes=5), tick=False):
        nxt = Handoff.objects.get(starts_at=next_at)
        cleo = api_client_for(people[2].user)
        ack = cleo.post(f"/api/v1/handoffs/{nxt.pk}/acknowledge/")
        assert ack.status_code == 200
        assert ack.json()["acknowledgement"] == "Cleo has it"
        twice = cleo.post(f"/api/v1/handoffs/{nxt.pk}/acknowledge/")
        assert twice.status_code == 400
    with time_machine.travel(next_at + dt.timedelta(hours=1), tick=False):
        run_due_jobs(timezone.now())
    assert told.count() == 1


def test_the_outgoing_engineer_cannot_acknowledge(programme, people):
    viewer_user = member(programme, Role.VIEWER, username="ana")
    people[0].user = viewer_user
    people[0].save()
    owner_user = member(programme, Role.OWNER, username="boss")
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        create(api_client_for(owner_user), programme, people, start="2026-03-02")
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 5, tzinfo=UTC), tick=False):
        prepare_handoffs(timezone.now())
        row = Handoff.objects.get(starts_at=dt.datetime(2026, 3, 3, 9, tzinfo=UTC))
        refused = api_client_for(viewer_user).post(f"/api/v1/handoffs/{row.pk}/acknowledge/")
        assert refused.status_code == 403  # Ana is outgoing, not incoming


def test_time_off_makes_a_gap_asks_for_cover_and_the_owner_hears_once(owner, programme, people):
    programme.programme_owner = PersonFactory(name="Owner")
    programme.stage = "pilot"
    programme.save()
    people[1].user = member(programme, Role.VIEWER, username="ben")
    people[1].save()
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(api_client_for(owner), programme, people, start="2026-03-02")
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        away = api_client_for(people[1].user).post(
            "/api/v1/time-off/",
            {"start": "2026-03-03T00:00Z", "end": "2026-03-05T00:00Z", "note": "Dentist"},
            format="json",
        )
        assert away.status_code == 201, away.content
        found = schedule(
            api_client_for(owner),
            rotation["id"],
            dt.datetime(2026, 3, 3, 9, tzinfo=UTC),
            dt.datetime(2026, 3, 4, 9, tzinfo=UTC),
        )
        assert [g["planned_person"]["name"] for g in found["gaps"]] == ["Ben"]
        cover = CoverRequest.objects.get()
        assert cover.requester == people[1]
        asked = Notification.objects.filter(kind=COVER_REQUEST, channel=Channel.IN_APP)
        assert sorted(n.recipient.name for n in asked) == ["Ana", "Cleo"]
        assert remind_gaps(timezone.now()) == 2  # in-app and email to the owner
        assert remind_gaps(timezone.now()) == 0

        people[2].user = member(programme, Role.VIEWER, username="cleo")
        people[2].save()
        accepted = api_client_for(people[2].user).post(f"/api/v1/cover-requests/{cover.pk}/accept/")
        assert accepted.status_code == 200
        assert accepted.json()["status"] == "accepted"
        covered = schedule(
            api_client_for(owner),
            rotation["id"],
            dt.datetime(2026, 3, 3, 9, tzinfo=UTC),
            dt.datetime(2026, 3, 4, 9, tzinfo=UTC),
        )
    assert covered["gaps"] == []
    assert {s["person"]["name"] for s in covered["shifts"]} == {"Cleo"}


def test_another_programmes_user_is_refused(outsider, owner, programme, people):
    rotation = create(api_client_for(owner), programme, people)
    client = api_client_for(outsider)
    assert client.get(f"/api/v1/rotations/{rotation['id']}/").status_code == 404
    assert client.get(f"/api/v1/rotations/{rotation['id']}/oncall-now/").status_code == 404
    assert (
        client.get(
            f"/api/v1/rotations/{rotation['id']}/schedule/",
            {"start": "2026-03-01T00:00Z", "end": "2026-03-02T00:00Z"},
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/programmes/{programme.slug}/rotations/").status_code == 404
    assert client.get("/api/v1/oncall-now/").json() == []
    assert client.post(f"/api/v1/rotations/{rotation['id']}/calendar-feeds/").status_code == 404


def test_viewer_cannot_change_rotations(viewer, owner, programme, people):
    rotation = create(api_client_for(owner), programme, people)
    client = api_client_for(viewer)
    assert client.get(f"/api/v1/rotations/{rotation['id']}/").status_code == 200
    assert (
        client.patch(
            f"/api/v1/rotations/{rotation['id']}/", {"name": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/rotations/{rotation['id']}/overrides/",
            {"person_id": people[0].pk, "start": "2026-04-02T10:00Z", "end": "2026-04-02T12:00Z"},
            format="json",
        ).status_code
        == 403
    )


def test_oncall_now_for_a_thousand_rotations_runs_a_constant_number_of_queries(
    leader, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(6)
    programmes = [ProgrammeFactory() for _ in range(10)]
    anchor = dt.datetime(2026, 1, 5, 9, tzinfo=UTC)
    rotations = Rotation.objects.bulk_create(
        Rotation(programme=programmes[n % 10], name=f"R{n}") for n in range(1000)
    )
    RotationVersion.objects.bulk_create(
        RotationVersion(
            rotation=rotation,
            effective_from=anchor,
            anchor=anchor,
            timezone="Europe/London",
            shift_kind="weekly" if n % 2 else "daily",
            handoff_time=dt.time(9),
            member_ids=[p.pk for p in people],
        )
        for n, rotation in enumerate(rotations)
    )
    client = api_client_for(leader)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/oncall-now/")
    answers = response.json()
    assert len(answers) == 1000
    assert all(answer["now"]["person"] for answer in answers)


def test_override_can_be_moved_but_not_onto_another(owner, programme, people, mid_march):
    client = api_client_for(owner)
    rotation = create(client, programme, people)
    url = f"/api/v1/rotations/{rotation['id']}/overrides/"
    first = client.post(
        url,
        {"person_id": people[0].pk, "start": "2026-04-02T10:00Z", "end": "2026-04-02T12:00Z"},
        format="json",
    ).json()
    client.post(
        url,
        {"person_id": people[1].pk, "start": "2026-04-03T10:00Z", "end": "2026-04-03T12:00Z"},
        format="json",
    )
    moved = client.patch(
        f"/api/v1/overrides/{first['id']}/", {"end": "2026-04-02T14:00Z"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["end"] == "2026-04-02T14:00:00Z"
    onto = client.patch(
        f"/api/v1/overrides/{first['id']}/",
        {"start": "2026-04-03T09:00Z", "end": "2026-04-03T11:00Z"},
        format="json",
    )
    assert onto.status_code == 400
    assert "overlaps Ben's override" in onto.json()["start"][0]


def test_a_started_rotation_keeps_its_start(owner, programme, people):
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(client, programme, people, start="2026-03-02")
    with time_machine.travel(dt.datetime(2026, 3, 10, tzinfo=UTC), tick=False):
        url = f"/api/v1/rotations/{rotation['id']}/"
        same = client.put(
            url, rotation_body(people, start="2026-03-02", name="Renamed"), format="json"
        )
        assert same.status_code == 200, same.content
        moved = client.patch(url, {"start": "2026-03-05"}, format="json")
        assert moved.status_code == 400
        assert "can no longer change" in moved.json()["start"][0]


def test_a_gap_under_way_is_reported_once_not_every_tick(owner, programme, people):
    programme.programme_owner = PersonFactory(name="Owner")
    programme.stage = "pilot"
    programme.save()
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        create(api_client_for(owner), programme, people, start="2026-03-02")
        TimeOff.objects.create(
            person=people[0],
            start=dt.datetime(2026, 3, 5, tzinfo=UTC),
            end=dt.datetime(2026, 3, 6, tzinfo=UTC),
        )
    for hour in (10, 11, 15):
        with time_machine.travel(dt.datetime(2026, 3, 5, hour, tzinfo=UTC), tick=False):
            remind_gaps(timezone.now())
    gaps = Notification.objects.filter(kind=ROTATION_GAP, channel=Channel.IN_APP)
    assert gaps.count() == 1


def test_withdrawn_time_off_and_removed_cover_are_tidied_up(owner, programme, people):
    people[1].user = member(programme, Role.VIEWER, username="ben")
    people[1].save()
    people[2].user = member(programme, Role.VIEWER, username="cleo")
    people[2].save()
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        create(api_client_for(owner), programme, people, start="2026-03-02")
        ben = api_client_for(people[1].user)
        away = {"start": "2026-03-03T00:00Z", "end": "2026-03-05T00:00Z"}
        first = ben.post("/api/v1/time-off/", away, format="json").json()
        again = ben.post("/api/v1/time-off/", away, format="json")
        assert again.status_code == 400
        assert "overlaps your time off" in again.json()["start"][0]
        past = ben.post(
            "/api/v1/time-off/",
            {"start": "2026-02-01T00:00Z", "end": "2026-02-02T00:00Z"},
            format="json",
        )
        assert "already over" in past.json()["end"][0]

        cover = CoverRequest.objects.get()
        api_client_for(people[2].user).post(f"/api/v1/cover-requests/{cover.pk}/accept/")
        cover.refresh_from_db()
        assert cover.status == "accepted"
        removed = api_client_for(owner).delete(f"/api/v1/overrides/{cover.override_id}/")
        assert removed.status_code == 204
        cover.refresh_from_db()
        assert (cover.status, cover.accepted_by) == ("open", None)

        assert ben.delete(f"/api/v1/time-off/{first['id']}/").status_code == 204
        cover.refresh_from_db()
        assert cover.status == "cancelled"


def test_coming_handoff_rows_follow_a_new_override(owner, programme, people):
    programme.stage = "pilot"
    programme.save()
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(api_client_for(owner), programme, people, start="2026-03-02")
    boundary = dt.datetime(2026, 3, 3, 9, tzinfo=UTC)  # Ana → Ben
    with time_machine.travel(boundary - dt.timedelta(minutes=50), tick=False):
        run_due_jobs(timezone.now())
        assert Handoff.objects.get(starts_at=boundary).incoming == people[1]
        Override.objects.create(
            rotation_id=rotation["id"],
            person=people[2],
            start=boundary,
            end=boundary + dt.timedelta(hours=2),
        )
        run_due_jobs(timezone.now())
        assert Handoff.objects.get(starts_at=boundary).incoming == people[2]


def test_a_period_already_under_way_starts_now_and_the_past_stays(owner, programme, people):
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        rotation = create(client, programme, people, start="2026-03-02")
    now = dt.datetime(2026, 3, 10, 12, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        past_hour = (now - dt.timedelta(hours=1), now)
        before = schedule(client, rotation["id"], *past_hour)
        made = client.post(
            f"/api/v1/rotations/{rotation['id']}/overrides/",
            {
                "person_id": people[2].pk,
                "start": "2026-03-10T09:00Z",
                "end": "2026-03-10T18:00Z",
            },
            format="json",
        )
        assert made.status_code == 201
        assert parse(made.json()["start"]) == now
        assert schedule(client, rotation["id"], *past_hour) == before
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False):
        moved = client.patch(
            f"/api/v1/overrides/{made.json()['id']}/",
            {"start": "2026-03-10T14:00Z"},
            format="json",
        )
        assert moved.status_code == 400
        assert "has begun" in moved.json()["start"][0]
        shorter = client.patch(
            f"/api/v1/overrides/{made.json()['id']}/", {"end": "2026-03-10T15:00Z"}, format="json"
        )
        assert shorter.status_code == 200
