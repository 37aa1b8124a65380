"""Reviews are scoped like the rest: a user of another programme gets 404 on every review
endpoint and page; a viewer reads but cannot write (403)."""

from typing import Any

import pytest
from django.test import Client

from governance.models import ActionItem, Review
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD

API_READS = [
    "/api/v1/programmes/{slug}/reviews/",
    "/api/v1/programmes/{slug}/action-items/",
    "/api/v1/reviews/{review}/",
    "/api/v1/reviews/{review}/attendance/",
    "/api/v1/reviews/{review}/decisions/",
    "/api/v1/reviews/{review}/actions/",
    "/api/v1/reviews/{review}/upcoming-changes/",
    "/api/v1/action-items/{action}/",
]
API_WRITES = [
    ("post", "/api/v1/reviews/{review}/start/", {}),
    ("post", "/api/v1/reviews/{review}/hold/", {}),
    ("post", "/api/v1/reviews/{review}/cancel/", {"reason": "x"}),
    ("post", "/api/v1/reviews/{review}/move/", {"to": "2030-01-01T10:00:00Z"}),
    ("put", "/api/v1/reviews/{review}/notes/", {"notes": "x"}),
    ("post", "/api/v1/reviews/{review}/attendance/", {"guest_name": "x"}),
    ("post", "/api/v1/reviews/{review}/decisions/", {"kind": "other", "text": "x"}),
    ("post", "/api/v1/reviews/{review}/actions/", {"title": "x"}),
    ("post", "/api/v1/reviews/{review}/upcoming-changes/", {"title": "x"}),
    ("patch", "/api/v1/action-items/{action}/", {"status": "done"}),
]
PAGE_READS = [
    "/programmes/{slug}/reviews/",
    "/programmes/{slug}/reviews/{review}/",
    "/programmes/{slug}/reviews/{review}/minutes/",
    "/programmes/{slug}/reviews/{review}/minutes.md",
]
PAGE_WRITES = [
    "/programmes/{slug}/reviews/{review}/" + verb + "/"
    for verb in (
        "start",
        "hold",
        "cancel",
        "move",
        "attendance",
        "notes",
        "decision",
        "action",
        "change",
    )
] + ["/programmes/{slug}/reviews/{review}/actions/{action}/"]


@pytest.fixture
def names(review: Review) -> dict[str, Any]:
    action = ActionItem.objects.create(
        programme=review.programme,
        raised_in=review,
        title="Check the drift",
        owner=review.programme.programme_owner,
        due_on=review.scheduled_for.date(),
    )
    return {"slug": review.programme.slug, "review": review.pk, "action": action.pk}


@pytest.mark.parametrize("path", API_READS)
def test_another_programmes_user_gets_404_reading_the_api(
    outsider: Any, names: dict[str, Any], path: str
) -> None:
    assert api_client_for(outsider).get(path.format(**names)).status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), API_WRITES)
def test_another_programmes_user_gets_404_writing_the_api(
    outsider: Any, names: dict[str, Any], method: str, path: str, body: dict[str, Any]
) -> None:
    client = api_client_for(outsider)
    answer = getattr(client, method)(path.format(**names), body, format="json")
    assert answer.status_code == 404


@pytest.mark.parametrize("path", API_READS)
def test_a_viewer_reads_the_api(viewer: Any, names: dict[str, Any], path: str) -> None:
    assert api_client_for(viewer).get(path.format(**names)).status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), API_WRITES)
def test_a_viewer_cannot_write_through_the_api(
    viewer: Any, names: dict[str, Any], method: str, path: str, body: dict[str, Any]
) -> None:
    client = api_client_for(viewer)
    answer = getattr(client, method)(path.format(**names), body, format="json")
    assert answer.status_code == 403


def _browser(user: Any) -> Client:
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("path", PAGE_READS + PAGE_WRITES)
def test_another_programmes_user_gets_404_on_every_page(
    outsider: Any, names: dict[str, Any], path: str
) -> None:
    client = _browser(outsider)
    method = client.post if path in PAGE_WRITES else client.get
    assert method(path.format(**names)).status_code == 404


@pytest.mark.parametrize("path", PAGE_READS)
def test_a_viewer_reads_the_pages(viewer: Any, names: dict[str, Any], path: str) -> None:
    assert _browser(viewer).get(path.format(**names)).status_code == 200


@pytest.mark.parametrize("path", PAGE_WRITES)
def test_a_viewer_cannot_write_on_the_pages(viewer: Any, names: dict[str, Any], path: str) -> None:
    answer = _browser(viewer).post(
        path.format(**names),
        {
            "reason": "x",
            "to": "2030-01-01T10:00",
            "guest_name": "x",
            "notes": "x",
            "kind": "other",
            "text": "x",
            "title": "x",
            "status": "done",
        },
    )
    assert answer.status_code == 403
