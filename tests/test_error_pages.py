"""Error pages: Keel's layout, what to do next, and nothing given away about other programmes."""

import re

import pytest
from django.template import loader
from django.test import Client

from programmes import context_processors
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    return re.search(r"<main>.*</main>", response.content.decode(), re.S).group(0)


def test_a_non_member_cannot_tell_a_hidden_programme_from_a_missing_one(outsider, programme):
    client = Client()
    client.force_login(outsider)
    hidden = client.get(f"/programmes/{programme.slug}/")
    missing = client.get("/programmes/no-such-programme/")
    assert hidden.status_code == missing.status_code == 404
    assert _main(hidden) == _main(missing)
    body = hidden.content.decode()
    assert 'class="topbar"' in body
    assert 'name="viewport"' in body
    assert "ask one of that programme's owners to give you access" in body
    assert programme.name not in body


def test_a_refusal_says_why_in_keels_layout(viewer, programme):
    client = Client()
    client.force_login(viewer)
    response = client.get(f"/programmes/{programme.slug}/edit/")
    assert response.status_code == 403
    body = response.content.decode()
    assert 'class="topbar"' in body
    assert "Only the programme&#x27;s editors and owners can change it." in body
    assert "ask one of the programme's owners for the role it takes" in body


def test_a_form_sent_without_its_csrf_token_is_told_to_reload(owner, programme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(f"/programmes/{programme.slug}/edit/", {"name": "x"})
    assert response.status_code == 403
    assert "reload the page and send the form again" in response.content.decode()


def test_a_bad_request_gets_keels_page(owner):
    client = Client()
    client.force_login(owner)
    response = client.get("/programmes/", headers={"host": "evil.example"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="topbar"' in body
    assert "Keel could not read this request" in body


@pytest.mark.urls("tests.error_urls")
def test_the_500_page_renders_when_the_database_and_context_are_broken(owner, monkeypatch):
    def broken(user):
        raise RuntimeError("database gone")

    monkeypatch.setattr(context_processors, "unread_count", broken)
    ProgrammeFactory(name="Claims triage two")
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    response = client.get("/broken/", headers={"x-request-id": "req-42"})
    assert response.status_code == 500
    body = response.content.decode()
    assert 'class="topbar"' in body
    assert "keel.css" in body
    assert "Something went wrong" in body
    assert "quote reference <code>req-42</code>" in body


@pytest.mark.urls("tests.error_urls")
def test_a_plain_500_page_answers_when_even_the_template_fails(owner, monkeypatch):
    def broken(name):
        raise RuntimeError("templates gone")

    monkeypatch.setattr(loader, "get_template", broken)
    response = Client(raise_request_exception=False).get(
        "/broken/", headers={"x-request-id": "req-43"}
    )
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "quote reference req-43" in body


@pytest.mark.urls("tests.error_urls")
def test_an_api_request_that_fails_gets_json_not_the_page():
    response = Client(raise_request_exception=False).get("/api/v1/broken/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error."}


def test_a_missing_page_gets_keels_layout_and_a_missing_api_path_json(owner):
    client = Client()
    client.force_login(owner)
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert 'class="topbar"' in page.content.decode()
    api = client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not found."}
