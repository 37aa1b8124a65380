"""Every form htmx enhances also works as a plain form: without JavaScript it answers with a
whole page (Keel's layout), with htmx only the fragment it swaps."""

import re

import pytest
from django.test import Client

from programmes.models import ProgrammeToken
from tests.factories import MetricFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _is_whole_page(html: str) -> bool:
    return html.lstrip().lower().startswith("<!doctype html>") and 'class="topbar"' in html


def test_creating_a_machine_token_without_javascript_answers_with_a_whole_page(owner, programme):
    client = _signed_in(owner)
    url = f"/programmes/{programme.slug}/tokens/"
    created = client.post(url, {"name": "nightly eval", "scope": "measurements"})
    assert created.status_code == 200
    html = created.content.decode()
    assert _is_whole_page(html)
    assert "Copy this token now" in html
    secret = re.search(r"keel_prog_[\w-]+", html).group(0)
    assert ProgrammeToken.objects.get().hint == secret[-4:]
    refused = client.post(url, {"name": "", "scope": "measurements"})
    assert refused.status_code == 400
    assert _is_whole_page(refused.content.decode())
    fragment = client.post(url, {"name": "alerts", "scope": "alertmanager"}, headers=HTMX)
    assert fragment.status_code == 200
    assert not _is_whole_page(fragment.content.decode())
    assert 'id="tokens"' in fragment.content.decode()


def test_every_htmx_form_answers_a_refusal_with_a_whole_page(owner, programme):
    metric = MetricFactory(programme=programme)
    slug = programme.slug
    forms = {
        "new programme": "/programmes/new/",
        "edit programme": f"/programmes/{slug}/edit/",
        "stage change": f"/programmes/{slug}/transition/",
        "person": "/people/new/",
        "metric": f"/programmes/{slug}/scorecard/metrics/new/",
        "measurement": f"/programmes/{slug}/scorecard/metrics/{metric.pk}/measurements/",
        "rotation": f"/programmes/{slug}/oncall/new/",
        "incident": f"/programmes/{slug}/incidents/",
        "stop condition": f"/programmes/{slug}/stop-conditions/",
        "stop policy": f"/programmes/{slug}/stop-conditions/policy/",
        "token": f"/programmes/{slug}/tokens/",
        "readiness definition": f"/programmes/{slug}/readiness/definition/",
        "readiness criterion": f"/programmes/{slug}/readiness/criteria/",
    }
    client = _signed_in(owner)
    for name, url in forms.items():
        page = client.post(url, {"submitted": "1"})
        assert page.status_code == 400, name
        assert _is_whole_page(page.content.decode()), name
        fragment = client.post(url, {"submitted": "1"}, headers=HTMX)
        assert fragment.status_code == 400, name
        assert not _is_whole_page(fragment.content.decode()), name
