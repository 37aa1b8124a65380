"""Markdown people write: an unsafe link loses its target and keeps its text, cleanly; the forms
say what is dropped."""

import pytest
from django.test import Client

from incidents.models import Runbook
from programmes.markdown import render_markdown


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ('[click me](javascript:alert("hi")) then', "<p>click me then</p>"),
        ("[click me](javascript:alert('hi'))", "<p>click me</p>"),
        ("[click me](JavaScript:alert(1))", "<p>click me</p>"),
        ('[x](javascript:fetch("/x").then(r=>r)) tail', "<p>x tail</p>"),
        ("[page](data:text/html,<b>x</b>)", "<p>page</p>"),
        ("[**bold** text](vbscript:msgbox(1))", "<p><strong>bold</strong> text</p>"),
        ("<b>bold</b> <script>alert(1)</script>", "<p>bold </p>"),
    ],
)
def test_unsafe_links_and_raw_html_keep_only_their_text(written, shown):
    assert str(render_markdown(written)) == shown


def test_safe_links_keep_their_targets():
    html = str(render_markdown("[a](https://x.example/a_(b)) [m](mailto:a@x.example) [r](/p/)"))
    assert 'href="https://x.example/a_(b)"' in html
    assert 'href="mailto:a@x.example"' in html
    assert 'href="/p/"' in html


def test_code_keeps_a_link_written_as_an_example():
    html = str(render_markdown('`[c](javascript:alert("x"))`'))
    assert html == '<p><code>[c](javascript:alert("x"))</code></p>'


@pytest.mark.django_db
def test_markdown_fields_say_raw_html_is_dropped(owner, programme):
    runbook = Runbook.objects.create(programme=programme, title="Routing errors", body="Look.")
    client = Client()
    client.force_login(owner)
    for path in [f"/programmes/{programme.slug}/runbooks/", runbook.get_absolute_url()]:
        html = client.get(path).content.decode()
        assert "Raw HTML is dropped (its text stays)" in html, path
