"""Pages carry a Content-Security-Policy that allows no inline script, eval or inline style, and
htmx is configured to need none of them."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def policy(path: str) -> dict[str, list[str]]:
    return parsed(Client().get(path)["Content-Security-Policy"])


def parsed(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_pages_allow_scripts_and_styles_from_keel_only():
    directives = policy("/login/")
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    header = " ".join(value for values in directives.values() for value in values)
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header


def test_an_inline_script_or_style_runs_only_with_the_requests_nonce():
    response = Client().get("/api/docs/")
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)
    directives = parsed(response["Content-Security-Policy"])
    assert f"'nonce-{nonce}'" in directives["style-src"]
    assert policy("/api/docs/")["style-src"] != directives["style-src"]  # a new nonce each time
    assert "<script>" not in response.content.decode()  # Swagger's start-up script is a file


def test_htmx_needs_neither_eval_nor_inline_styles_nor_scripts():
    page = Client().get("/login/").content.decode()
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1))
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["allowScriptTags"] is False


@pytest.mark.parametrize(
    "template", sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))
)
def test_no_template_has_an_inline_script_or_style_attribute(template):
    text = (TEMPLATES / template).read_text()
    assert not re.search(r"\sstyle=", text), "use a class in static/css/keel.css"
    assert not re.search(r"\son[a-z]+=", text), "event handler attributes do not run under the CSP"
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or "nonce=" in tag, tag
    for tag in re.findall(r"<style\b[^>]*>", text):
        assert "nonce=" in tag, tag
