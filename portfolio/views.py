"""The leadership dashboard's pages: the dashboard at ``/``, what changed, the CSV export and the
board pack. Each reads the view the URL states through ``dashboard.dashboard_view``."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes import times
from programmes.pages import HtmxHttpRequest
from programmes.selectors import is_leadership, person_of

from . import exports, rules
from .changes import changes_since, last_monday
from .dashboard import dashboard_view
from .filters import DashboardQuery
from .forms import ChangesSince, DigestPreferenceForm
from .models import DigestPreference
from .services import set_digest_preference
from .sparkline import charts_for

# The dashboard's columns in order, with the sort key of each that sorts.
COLUMNS = (
    ("name", "Programme"),
    ("risk", "Why here"),
    ("stage", "Stage"),
    ("progress", "Headline"),
    ("status", "RAG"),
    ("readiness", "Readiness"),
    ("conditions", "Stop conditions"),
    ("incidents", "Incidents"),
    ("oncall", "On call"),
    ("reviews", "Last review"),
    ("cost", "Cost"),
    ("owners", "Owners"),
)


def _query(request: HtmxHttpRequest) -> tuple[DashboardQuery, dict[str, Any]]:
    """The filters of the URL; a value out of range is reported on the form and left out."""
    form = DashboardQuery(request.GET)
    form.is_valid()
    return form, form.cleaned_data


@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Every programme the user may see, worst first, filtered and sorted as the URL says."""
    now = timezone.now()
    form, data = _query(request)
    view = dashboard_view(request.user, now, data, page=request.GET.get("page", 1))
    since = last_monday(now, times.current_zone())
    show_changes = bool(data.get("changes"))
    context = {
        "form": form,
        "view": view,
        "now": now,
        "since": since,
        "columns": COLUMNS,
        "current_sort": data.get("sort") or "risk",
        "descending": bool(data.get("desc")),
        "current_bucket": data.get("bucket") or "",
        "buckets": [(key, label, view.counts[key]) for key, label in rules.BUCKETS],
        "status_labels": list(rules.STATUS_LABELS.items()),
        "show_changes": show_changes,
        "digest_form": _digest_form(request),
        "changes": (
            changes_since([row.programme for row in view.page], since, now) if show_changes else {}
        ),
        "charts": charts_for(list(view.page)),
    }
    template = "portfolio/dashboard.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def export_csv(request: HtmxHttpRequest) -> HttpResponse:
    """The dashboard's view as CSV: the rows the same URL shows, in the same order."""
    _, data = _query(request)
    view = dashboard_view(request.user, timezone.now(), data, page=request.GET.get("page", 1))
    rows = list(view.page) if "page" in request.GET else view.rows
    response = HttpResponse(exports.csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="portfolio.csv"'
    return response


@login_required
def changes(request: HtmxHttpRequest) -> HttpResponse:
    """What changed in each visible programme since Monday, or since the date chosen."""
    now = timezone.now()
    zone = times.current_zone()
    form = ChangesSince(request.GET or None, now=now)
    since = last_monday(now, zone)
    if form.is_bound and form.is_valid() and form.cleaned_data["since"]:
        since = form.since_moment(zone)
    view = dashboard_view(request.user, now, {})
    found = changes_since([row.programme for row in view.rows], since, now)
    programmes = [(row, found[row.programme.pk]) for row in view.rows if found[row.programme.pk]]
    return render(
        request,
        "portfolio/changes.html",
        {"form": form, "since": since, "programmes": programmes, "now": now},
        status=400 if form.errors else 200,
    )


def _board_pack(request: HtmxHttpRequest) -> dict[str, Any]:
    now = timezone.now()
    _, data = _query(request)
    view = dashboard_view(request.user, now, data)
    since = now - dt.timedelta(days=7)
    found = changes_since([row.programme for row in view.rows], since, now)
    return {
        "now": now,
        "since": since,
        "view": view,
        "blocks": [(row, found[row.programme.pk]) for row in view.rows],
        "query": request.GET.urlencode(),
    }


@login_required
def board_pack(request: HtmxHttpRequest) -> HttpResponse:
    """A printable page frozen at this moment: one block per programme of the view."""
    pack = _board_pack(request)
    pack["charts"] = charts_for(pack["view"].rows)
    return render(request, "portfolio/board_pack.html", pack)


@login_required
def board_pack_markdown(request: HtmxHttpRequest) -> HttpResponse:
    """The board pack as Markdown."""
    pack = _board_pack(request)
    text = exports.board_pack_markdown(pack["blocks"], now=pack["now"], since=pack["since"])
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="board-pack.md"'
    return response


def _digest_form(request: HtmxHttpRequest) -> DigestPreferenceForm | None:
    """A leader's Monday digest choice; None for anyone who receives no digest."""
    person = person_of(request.user)
    if person is None or not is_leadership(request.user):
        return None
    return DigestPreferenceForm(instance=DigestPreference.objects.filter(person=person).first())


@login_required
@require_POST
def digest_preference(request: HtmxHttpRequest) -> HttpResponse:
    """A leader's choice: the Monday digest every week, or only when something needs
    attention."""
    form = DigestPreferenceForm(request.POST)
    form.is_valid()
    set_digest_preference(
        user=request.user, only_when_attention=bool(form.cleaned_data.get("only_when_attention"))
    )
    messages.success(request, "Your Monday digest choice is saved.")
    return redirect("home")
