"""Every main page on a 390 px phone, as each demo user: the page is no wider than the window and
nothing on it is cut off or hidden off to the side (the programme tabs, tables, form fields).
The pages are enumerated from the URL confs, so a new page is measured too."""

from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, reverse
from playwright.sync_api import Browser

from governance.models import Review, StopCondition
from incidents.models import Incident, Runbook
from oncall import services as oncall_services
from oncall.models import Rotation
from programmes.management.commands.load_demo import DEMO_PASSWORD, DEMO_USERS
from programmes.models import Person, Programme, ProgrammeToken
from scorecards.models import Metric

from .layout import PHONE, layout_problems, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_URLCONFS = (
    "portfolio.urls",
    "programmes.urls",
    "scorecards.urls",
    "oncall.urls",
    "incidents.urls",
    "governance.urls",
)

# Routes of the page URL confs that are not pages to open: forms' POST targets (each answers
# with a redirect, the fragment htmx swaps, or a page measured elsewhere) and calendar files.
NOT_PAGES = {
    "portfolio-export",
    "portfolio-board-pack-md",
    "portfolio-digest-preference",
    "programme-transition",
    "member-add",
    "member-change",
    "inbox-read-all",
    "inbox-read",
    "measurement-add",
    "metric-assess",
    "metric-promote-baseline",
    "token-create",
    "incident-status",
    "incident-note",
    "incident-serious",
    "incident-reported",
    "incident-postmortem",
    "incident-action",
    "incident-action-status",
    "readiness-definition",
    "readiness-agree",
    "readiness-criterion-add",
    "readiness-defaults",
    "readiness-criterion",
    "readiness-waive",
    "readiness-review-open",
    "readiness-signoff",
    "readiness-statement-md",
    "stop-policy",
    "stop-condition-approve",
    "stop-condition-decide",
    "review-minutes-markdown",
    "review-start",
    "review-hold",
    "review-cancel",
    "review-move",
    "review-attendance",
    "review-notes",
    "review-decision",
    "review-action",
    "review-change",
    "review-action-status",
    "handoff-notes",
    "handoff-acknowledge",
    "override-create",
    "override-delete",
    "cover-create",
    "cover-accept",
    "feed-create",
    "rotation-calendar",
    "person-calendar",
}


def _route_names(urlconf: str) -> Iterator[str]:
    def walk(patterns: list[Any]) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern.name

    yield from walk(import_module(urlconf).urlpatterns)


def _demo_pages() -> dict[str, str]:
    """Each main page's address in the demo portfolio, by its URL name."""
    claims = Programme.objects.get(name="Claims triage assistant")
    slug = claims.slug
    metric = Metric.objects.get(programme=claims, is_headline=True)
    rotation = Rotation.objects.filter(programme=claims).order_by("id").first()
    incident = Incident.objects.filter(programme=claims).order_by("id").first()
    runbook = Runbook.objects.filter(programme=claims).first()
    assert rotation is not None
    assert incident is not None
    assert runbook is not None
    tripped = StopCondition.objects.filter(programme=claims, state="tripped").first()
    reviews = Review.objects.filter(programme=claims)
    upcoming = reviews.filter(status="scheduled").order_by("scheduled_for").first()
    held = reviews.filter(status="held").first()
    assert upcoming is not None
    assert held is not None
    assert tripped is not None
    owner = Person.objects.get(name=DEMO_USERS["owner"][0]).user
    token, _ = ProgrammeToken.issue(programme=claims, name="nightly eval", created_by=owner)
    feed, _ = oncall_services.issue_feed_token(actor=owner, rotation=rotation)

    def on_claims(name: str, **kwargs: int) -> str:
        return reverse(name, kwargs={"slug": slug, **kwargs})

    return {
        "home": reverse("home"),
        "portfolio-changes": reverse("portfolio-changes"),
        "portfolio-board-pack": reverse("portfolio-board-pack"),
        "programme-list": reverse("programme-list"),
        "programme-create": reverse("programme-create"),
        "programme-detail": on_claims("programme-detail"),
        "programme-edit": on_claims("programme-edit"),
        "programme-audit": on_claims("programme-audit"),
        "programme-notifications": on_claims("programme-notifications"),
        "people-list": reverse("people-list"),
        "person-create": reverse("person-create"),
        "person-edit": reverse("person-edit", args=[Person.objects.first().pk]),
        "inbox": reverse("inbox"),
        "notification-preferences": reverse("notification-preferences"),
        "scorecard": on_claims("scorecard"),
        "metric-create": on_claims("metric-create"),
        "metric-detail": on_claims("metric-detail", metric_id=metric.pk),
        "metric-edit": on_claims("metric-edit", metric_id=metric.pk),
        "measurement-upload": on_claims("measurement-upload", metric_id=metric.pk),
        "token-revoke": on_claims("token-revoke", token_id=token.pk),
        "incident-list": on_claims("incident-list"),
        "incident-detail": on_claims("incident-detail", incident_id=incident.pk),
        "runbook-list": on_claims("runbook-list"),
        "runbook-detail": on_claims("runbook-detail", runbook_id=runbook.pk),
        "readiness": on_claims("readiness"),
        "readiness-statement": on_claims("readiness-statement"),
        "stop-conditions": on_claims("stop-conditions"),
        "review-list": on_claims("review-list"),
        "review-detail": on_claims("review-detail", review_id=upcoming.pk),
        "review-minutes": on_claims("review-minutes", review_id=held.pk),
        "stop-condition-detail": on_claims("stop-condition-detail", condition_id=tripped.pk),
        "programme-oncall": on_claims("programme-oncall"),
        "rotation-create": on_claims("rotation-create"),
        "time-off": reverse("time-off"),
        "rotation-detail": reverse("rotation-detail", args=[rotation.pk]),
        "rotation-edit": reverse("rotation-edit", args=[rotation.pk]),
        "handoff": reverse("handoff", args=[rotation.pk]),
        "feed-revoke": reverse("feed-revoke", args=[rotation.pk, feed.pk]),
    }


def _extra_pages() -> dict[str, str]:
    """Pages worth a second look: the serious incident with its clock, an error page."""
    serious = Incident.objects.exclude(serious_kind="").first()
    assert serious is not None
    return {
        "serious incident": serious.get_absolute_url(),
        "missing programme (404)": "/programmes/no-such-programme/",
        "dashboard with changes": "/?changes=1",
    }


def test_the_layout_test_knows_every_page_of_the_url_confs(db):
    call_command("load_demo", stdout=None)
    routes = {name for urlconf in PAGE_URLCONFS for name in _route_names(urlconf)}
    pages = set(_demo_pages())
    assert routes - pages - NOT_PAGES == set(), "a new page: add it to _demo_pages or NOT_PAGES"
    assert (pages | NOT_PAGES) - routes == set()


def test_every_main_page_fits_a_phone_for_every_demo_user(browser: Browser, live_server: Any):
    call_command("load_demo", stdout=None)
    pages = {**_demo_pages(), **_extra_pages()}
    problems: dict[str, list[str]] = {}
    logged_out = browser.new_context(**PHONE).new_page()
    logged_out.goto(f"{live_server.url}/login/")
    if found := layout_problems(logged_out, 390):
        problems["login"] = found
    for username in DEMO_USERS:
        page = signed_in(browser, live_server.url, username, DEMO_PASSWORD, **PHONE)
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response is not None
            assert response.status < 500, (username, name, response.status)
            if found := layout_problems(page, 390):
                problems[f"{username} {name} {path}"] = found
        page.context.close()
    assert not problems, "\n".join(f"{where}: {'; '.join(why)}" for where, why in problems.items())
