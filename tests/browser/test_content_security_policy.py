"""Every page works under the Content-Security-Policy in real Chromium: the browser reports no
refused script or style, htmx still swaps, and Swagger UI still draws the API."""

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import ConsoleMessage, Page, expect

from incidents.models import Incident
from oncall.models import Rotation
from programmes.models import Programme
from scorecards.models import Metric

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def keel_pages() -> list[str]:
    programme = Programme.objects.filter(memberships__user__username="owner").first()
    assert programme is not None
    metric = Metric.objects.filter(programme=programme).first()
    rotation = Rotation.objects.filter(programme=programme).first()
    incident = Incident.objects.filter(programme=programme).first()
    slug = programme.slug
    pages = [
        "/programmes/",
        f"/programmes/{slug}/",
        f"/programmes/{slug}/edit/",
        f"/programmes/{slug}/scorecard/",
        f"/programmes/{slug}/oncall/",
        f"/programmes/{slug}/incidents/",
        f"/programmes/{slug}/runbooks/",
        f"/programmes/{slug}/notifications/",
        f"/programmes/{slug}/audit/",
        "/people/",
        "/inbox/",
        "/inbox/preferences/",
        "/oncall/time-off/",
        "/api/v1/",
    ]
    if metric is not None:
        pages.append(f"/programmes/{slug}/scorecard/metrics/{metric.pk}/")
    if rotation is not None:
        pages += [f"/oncall/{rotation.pk}/", f"/oncall/{rotation.pk}/handoff/"]
    if incident is not None:
        pages.append(f"/programmes/{slug}/incidents/{incident.pk}/")
    return pages


def test_no_page_has_a_script_or_style_refused(page: Page, live_server: Any):
    call_command("load_demo", stdout=None)
    refused: list[str] = []

    def note_refusal(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", note_refusal)
    base = live_server.url
    page.set_default_timeout(15_000)

    log_in(page, base, "owner")
    for path in keel_pages():
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")

    page.goto(f"{base}/api/docs/")
    expect(page.get_by_text("/api/v1/programmes/").first).to_be_visible()

    page.context.clear_cookies()
    log_in(page, base, "admin")
    for path in ("/admin/", "/admin/programmes/programme/", "/admin/programmes/programme/add/"):
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")

    assert refused == []


def test_a_refused_inline_script_is_reported_by_the_browser(page: Page, live_server: Any):
    """The policy is really enforced: a script the page did not sign does not run."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.keelInlineRan = true";
            document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("window.keelInlineRan === true") is False
    assert any("Content Security Policy" in text for text in refused)
