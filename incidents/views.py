"""Incident pages: a programme's incidents (with MTTA/MTTR), one incident, runbooks."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes import selectors as programme_selectors
from programmes.errors import DomainError
from programmes.pages import (
    HtmxHttpRequest,
    attach_domain_error,
    form_response,
    perform,
    redirect_or_htmx_redirect,
)

from . import rules, selectors, services
from .access import may_change_action, may_report, may_work_on, require_may_work_on
from .forms import ActionItemForm, IncidentForm, IncidentNoteForm, PostmortemForm, RunbookForm
from .models import ActionItem, HarmCategory, IncidentStatus, Postmortem, SeriousKind

LIST_SIZE = 100


@login_required
def incident_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = programme_selectors.get_programme_for_user(request.user, slug)
    form = IncidentForm(request.POST or None)
    if request.method == "POST":
        require_may_work_on(request.user, None, access)
        if form.is_valid():
            try:
                incident = services.open_incident(
                    actor=request.user, programme=programme, access=access, **form.cleaned_data
                )
            except DomainError as error:
                attach_domain_error(form, error)
            else:
                messages.success(request, "Incident opened; the on-call engineer has been paged.")
                return redirect_or_htmx_redirect(request, incident.get_absolute_url())
    status_filter = request.GET.get("status", "")
    rows = selectors.programme_incidents(programme).order_by("-opened_at")
    if status_filter == "open":
        rows = rows.exclude(status=IncidentStatus.RESOLVED)
    elif status_filter in IncidentStatus.values:
        rows = rows.filter(status=status_filter)
    now = timezone.now()
    context = {
        "programme": programme,
        "access": access,
        "incidents": rows[:LIST_SIZE],
        "form": form,
        "status_filter": status_filter,
        "statuses": IncidentStatus.choices,
        "measures": selectors.incident_measures(programme, now - rules.MEASURE_WINDOW, now),
        "measure_days": rules.MEASURE_WINDOW.days,
        "harm_labels": dict(HarmCategory.choices),
    }
    status = 400 if form.errors else 200
    return form_response(request, "incidents/incidents.html", context, status=status)


@login_required
def incident_detail(request: HtmxHttpRequest, slug: str, incident_id: int) -> HttpResponse:
    incident, access = selectors.get_incident_for_user(request.user, slug, incident_id)
    postmortem = (
        Postmortem.objects.filter(incident=incident).prefetch_related("actions__owner").first()
    )
    me = programme_selectors.person_of(request.user)
    context = {
        "programme": incident.programme,
        "incident": incident,
        "access": access,
        "timeline": selectors.incident_timeline(incident),
        "note_form": IncidentNoteForm(),
        "postmortem": postmortem,
        "postmortem_form": PostmortemForm(
            initial={
                "summary": postmortem.summary,
                "contributing_factors": postmortem.contributing_factors,
                "went_well": postmortem.went_well,
            }
            if postmortem
            else None
        ),
        "action_form": ActionItemForm(),
        "serious_kinds": SeriousKind.choices,
        "serious_detail": rules.serious_detail(incident.serious_kind)
        if incident.serious_kind
        else "",
        "next_statuses": [
            (status, IncidentStatus(status).label)
            for status in rules.statuses_passed(incident.status, rules.ORDER[-1])
        ]
        if incident.is_open
        else [],
        "runbooks": incident.programme.runbooks.all(),
        "now": timezone.now(),
        "can_work": may_work_on(request.user, incident, access),
        "may_report": may_report(access),
        "actions": [
            (action, may_change_action(me, action, access)) for action in postmortem.actions.all()
        ]
        if postmortem
        else [],
    }
    return render(request, "incidents/incident_detail.html", context)


def _incident_post(
    request: HtmxHttpRequest, slug: str, incident_id: int, act: Any, done: str
) -> HttpResponse:
    incident, access = selectors.get_incident_for_user(request.user, slug, incident_id)
    perform(request, lambda: act(incident, access), done)
    return redirect_or_htmx_redirect(request, incident.get_absolute_url())


@login_required
@require_POST
def incident_status(request: HtmxHttpRequest, slug: str, incident_id: int) -> HttpResponse:
    wanted = request.POST.get("status", "")

    def act(incident: Any, access: Any) -> None:
        services.change_status(
            actor=request.user,
            incident=incident,
            access=access,
            status=wanted,
            reason=request.POST.get("reason", ""),
        )

    label = dict(IncidentStatus.choices).get(wanted, wanted)
    return _incident_post(request, slug, incident_id, act, f"Incident {str(label).lower()}.")


@login_required
@require_POST
def incident_note(request: HtmxHttpRequest, slug: str, incident_id: int) -> HttpResponse:
    def act(incident: Any, access: Any) -> None:
        services.add_note(
            actor=request.user, incident=incident, access=access, text=request.POST.get("text", "")
        )

    return _incident_post(request, slug, incident_id, act, "Added to the timeline.")


@login_required
@require_POST
def incident_serious(request: HtmxHttpRequest, slug: str, incident_id: int) -> HttpResponse:
    def act(incident: Any, access: Any) -> None:
        services.mark_serious(
            actor=request.user, incident=incident, access=access, kind=request.POST.get("kind", "")
        )

    return _incident_post(
        request, slug, incident_id, act, "Marked serious: the reporting clock is running."
    )


@login_required
@require_POST
def incident_reported(request: HtmxHttpRequest, slug: str, incident_id: int) -> HttpResponse:
    def act(incident: Any, access: Any) -> None:
        services.mark_reported(actor=request.user, incident=incident, access=access)

    return _incident_post(request, slug, incident_id, act, "Report recorded; the clock stops.")


@login_required
@require_POST
def incident_postmortem(request: HtmxHttpRequest, slug: str, incident_id: int) -> HttpResponse:
    form = PostmortemForm(request.POST)

    def act(incident: Any, access: Any) -> None:
        postmortem = services.start_postmortem(actor=request.user, incident=incident, access=access)
        if "summary" in request.POST and form.is_valid():
            services.update_postmortem(
                actor=request.user, postmortem=postmortem, access=access, **form.cleaned_data
            )

    return _incident_post(request, slug, incident_id, act, "Postmortem saved.")


@login_required
@require_POST
def incident_action(request: HtmxHttpRequest, slug: str, incident_id: int) -> HttpResponse:
    form = ActionItemForm(request.POST)

    def act(incident: Any, access: Any) -> None:
        if not form.is_valid():
            raise DomainError(next(iter(form.errors.get_json_data().values()))[0]["message"])
        postmortem = get_object_or_404(Postmortem, incident=incident)
        services.add_action(
            actor=request.user, postmortem=postmortem, access=access, **form.cleaned_data
        )

    return _incident_post(request, slug, incident_id, act, "Action added.")


@login_required
@require_POST
def incident_action_status(
    request: HtmxHttpRequest, slug: str, incident_id: int, action_id: int
) -> HttpResponse:
    """Mark an action item done (or open again): its owner, or an editor."""
    wanted = request.POST.get("status", "")

    def act(incident: Any, access: Any) -> None:
        action = get_object_or_404(ActionItem, pk=action_id, postmortem__incident=incident)
        services.set_action_status(actor=request.user, action=action, access=access, status=wanted)

    return _incident_post(request, slug, incident_id, act, "Action updated.")


@login_required
def runbook_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = programme_selectors.get_programme_for_user(request.user, slug)
    form = RunbookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            runbook = services.save_runbook(
                actor=request.user, programme=programme, access=access, **form.cleaned_data
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, f"Runbook “{runbook.title}” saved.")
            return redirect_or_htmx_redirect(request, runbook.get_absolute_url())
    context = {
        "programme": programme,
        "access": access,
        "runbooks": programme.runbooks.all(),
        "form": form,
    }
    return render(request, "incidents/runbooks.html", context, status=400 if form.errors else 200)


@login_required
def runbook_detail(request: HtmxHttpRequest, slug: str, runbook_id: int) -> HttpResponse:
    programme, access = programme_selectors.get_programme_for_user(request.user, slug)
    runbook = get_object_or_404(programme.runbooks, pk=runbook_id)
    form = RunbookForm(request.POST or None, initial={"title": runbook.title, "body": runbook.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_runbook(
                actor=request.user,
                programme=programme,
                access=access,
                runbook=runbook,
                **form.cleaned_data,
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, f"Runbook “{form.cleaned_data['title']}” saved.")
            return redirect_or_htmx_redirect(
                request, reverse("runbook-detail", args=[slug, runbook.pk])
            )
    context = {"programme": programme, "access": access, "runbook": runbook, "form": form}
    return render(
        request, "incidents/runbook_detail.html", context, status=400 if form.errors else 200
    )
