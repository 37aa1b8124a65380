"""Revoking a machine token or a calendar link asks first: with JavaScript the button asks
(hx-confirm), without it a page asks, and only the answer revokes."""

import datetime as dt
import re

import pytest
from django.test import Client

from oncall import services as oncall_services
from oncall.models import CalendarFeedToken
from programmes.models import ProgrammeToken, Role
from programmes.rules import access_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def token(programme, owner):
    return ProgrammeToken.issue(programme=programme, name="nightly eval", created_by=owner)[0]


@pytest.fixture
def rotation(programme):
    person = PersonFactory(name="Ana")
    return oncall_services.create_rotation(
        actor=None,
        programme=programme,
        access=OWNER,
        name="Primary",
        start=dt.date(2026, 3, 2),
        member_ids=[person.pk],
        timezone_name="Europe/London",
        shift_kind="daily",
    )


@pytest.fixture
def feed(rotation, editor):
    return oncall_services.issue_feed_token(actor=editor, rotation=rotation)[0]


def test_revoking_a_token_asks_first(owner, programme, token):
    client = _signed_in(owner)
    url = f"/programmes/{programme.slug}/tokens/{token.pk}/revoke/"
    scorecard = client.get(f"/programmes/{programme.slug}/scorecard/").content.decode()
    button = re.search(rf'<a class="button danger" href="{url}"[^>]*>', scorecard).group(0)
    assert f'hx-post="{url}"' in button
    assert "hx-confirm=" in button
    asked = client.get(url)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'class="topbar"' in page
    assert "Revoke the token “nightly eval”?" in page
    assert '<form method="post"' in page
    token.refresh_from_db()
    assert token.revoked_at is None
    done = client.post(url, follow=True)
    assert "Token “nightly eval” revoked." in done.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_only_owners_see_the_token_question(editor, outsider, programme, token):
    url = f"/programmes/{programme.slug}/tokens/{token.pk}/revoke/"
    assert _signed_in(editor).get(url).status_code == 403
    assert _signed_in(outsider).get(url).status_code == 404


def test_revoking_a_calendar_link_asks_first(editor, rotation, feed):
    client = _signed_in(editor)
    url = f"/oncall/{rotation.pk}/calendar-feeds/{feed.pk}/revoke/"
    page = client.get(rotation.get_absolute_url()).content.decode()
    button = re.search(rf'<a class="button danger" href="{url}"[^>]*>', page).group(0)
    assert "hx-confirm=" in button
    asked = client.get(url)
    assert asked.status_code == 200
    assert f"Revoke the calendar link ending …{feed.hint}?" in asked.content.decode()
    feed.refresh_from_db()
    assert feed.revoked_at is None
    done = client.post(url, follow=True)
    assert "Calendar link revoked" in done.content.decode()
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert client.get(url).status_code == 404


def test_a_calendar_link_is_revoked_by_its_maker_or_an_editor_only(
    programme, viewer, outsider, owner, rotation, feed
):
    url = f"/oncall/{rotation.pk}/calendar-feeds/{feed.pk}/revoke/"
    page = _signed_in(viewer).get(rotation.get_absolute_url()).content.decode()
    assert feed.hint in page
    assert url not in page
    assert _signed_in(viewer).get(url).status_code == 403
    assert _signed_in(viewer).post(url).status_code == 403
    assert _signed_in(outsider).get(url).status_code == 404
    assert CalendarFeedToken.objects.get(pk=feed.pk).revoked_at is None
    own = oncall_services.issue_feed_token(actor=viewer, rotation=rotation)[0]
    own_url = f"/oncall/{rotation.pk}/calendar-feeds/{own.pk}/revoke/"
    assert _signed_in(viewer).post(own_url).status_code == 302
    assert CalendarFeedToken.objects.get(pk=own.pk).revoked_at is not None
    assert _signed_in(owner).post(url).status_code == 302
