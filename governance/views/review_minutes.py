"""The minutes of a review: a readable page (attendees, the agenda the meeting saw, decisions,
actions, notes) and the same as a Markdown download, for a wiki or an email."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from programmes.pages import HtmxHttpRequest
from programmes.times import LONG, format_moment

from .. import review_selectors
from .reviews import page_context


def _minutes_context(request: HtmxHttpRequest, slug: str, review_id: int) -> dict[str, Any]:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    context = page_context(request, review, access)
    context["present"] = [s for s in context["seats"] if s.present] + [
        o for o in context["others"] if o.present
    ]
    context["absent"] = [s for s in context["seats"] if not s.present]
    context["held_when"] = (
        format_moment(review.held_at, review.timezone, style=LONG) if review.held_at else ""
    )
    return context


@login_required
def review_minutes(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    return render(
        request, "governance/reviews/minutes.html", _minutes_context(request, slug, review_id)
    )


@login_required
def review_minutes_markdown(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    """The minutes as Markdown, for pasting into a wiki or an email."""
    context = _minutes_context(request, slug, review_id)
    text = render_to_string("governance/reviews/minutes.md", context, request=request)
    review = context["review"]
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    name = f"{review.programme.slug}-review-{review.scheduled_for:%Y-%m-%d}.md"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
