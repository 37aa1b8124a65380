"""What the on-call API tests share: a rotation's body, making one, reading its schedule."""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

UTC = dt.UTC


LONDON = ZoneInfo("Europe/London")


NEW_YORK = ZoneInfo("America/New_York")


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
