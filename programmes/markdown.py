"""Markdown written by people (handoff notes, runbooks) rendered to HTML that is safe to show:
whatever the Markdown holds, only harmless tags and attributes survive."""

import re
import xml.etree.ElementTree as etree

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
LINK_SCHEMES = {"http", "https", "mailto"}

# What the help text of every Markdown field says, so writers know what survives.
MARKDOWN_HELP = (
    "Markdown. Raw HTML is dropped (its text stays); a link keeps its target only when it "
    "starts with http://, https:// or mailto:."
)

# `[text](scheme:…` where the scheme is not one a link may keep (javascript:, data:, …).
_UNSAFE_LINK = (
    r"(?<!!)\[([^\[\]]*)\]\(\s*<?(?!(?i:" + "|".join(sorted(LINK_SCHEMES)) + r"):)"
    r"[A-Za-z][A-Za-z0-9+.\-]*:"
)


class _UnsafeLinkProcessor(InlineProcessor):
    """An inline link to an unsafe target becomes its text alone. Python-Markdown would cut
    such a target at its first quote (`javascript:alert("x")`), leaving a stray `)` behind."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        end = _closing_parenthesis(data, m.end())
        if end is None:
            return None, None, None
        # A span (which the sanitiser then drops) lets the text keep its own emphasis.
        text = etree.Element("span")
        text.text = m.group(1)
        return text, m.start(0), end + 1


def _closing_parenthesis(text: str, start: int) -> int | None:
    """Where the parenthesis open before ``start`` closes; parentheses inside quotes do not
    count. None when it never closes."""
    depth, quote = 1, ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return None


class _SafeLinks(Extension):
    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:
        # After code spans and escapes (190, 180), before links (160).
        md.inlinePatterns.register(_UnsafeLinkProcessor(_UNSAFE_LINK, md), "unsafe_link", 165)


def render_markdown(text: str) -> SafeString:
    """HTML for ``text``; scripts, event handlers, styles and javascript: links are removed, and
    a link whose target is removed keeps its text."""
    html = markdown_lib.markdown(
        text or "", extensions=["tables", "fenced_code", "sane_lists", _SafeLinks()]
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it
