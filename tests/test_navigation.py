"""Every page reaches time off and the programme's runbooks, and has an icon."""

import re

import pytest
from django.test import Client

from incidents.models import Runbook

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_time_off_is_in_the_main_navigation(viewer, programme):
    html = _signed_in(viewer).get("/programmes/").content.decode()
    main_nav = re.search(r'<nav aria-label="Main">.*?</nav>', html, re.S).group(0)
    assert 'href="/oncall/time-off/"' in main_nav


def test_runbooks_are_a_programme_tab(viewer, programme):
    runbook = Runbook.objects.create(programme=programme, title="Routing errors", body="Look.")
    client = _signed_in(viewer)
    for path in [
        f"/programmes/{programme.slug}/",
        f"/programmes/{programme.slug}/scorecard/",
        f"/programmes/{programme.slug}/oncall/",
        f"/programmes/{programme.slug}/runbooks/",
        runbook.get_absolute_url(),
    ]:
        html = client.get(path).content.decode()
        tabs = re.search(r'<nav class="tabs" aria-label="Programme">.*?</nav>', html, re.S)
        assert tabs, path
        assert f'href="/programmes/{programme.slug}/runbooks/"' in tabs.group(0), path


def test_every_page_names_an_icon_that_is_served(viewer, programme):
    client = _signed_in(viewer)
    html = client.get("/programmes/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    served = client.get(icon)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/svg+xml"
    legacy = Client().get("/favicon.ico")
    assert legacy.status_code == 301
    assert legacy["Location"] == icon
