"""Programme pages: the list, a new programme, the overview, editing, a change of stage, the
audit trail."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import (
    require_may_change_stage,
    require_may_edit_programme,
)
from ..errors import DomainError
from ..forms import (
    MemberForm,
    NewProgrammeForm,
    ProgrammeForm,
    TransitionForm,
)
from ..models import Programme, Role, Stage
from ..pages import (
    HtmxHttpRequest,
    attach_domain_error,
    form_response,
    redirect_or_htmx_redirect,
    render_panels,
)
from ..rules import ALLOWED_TRANSITIONS, next_weekly_at

AUDIT_PAGE_SIZE = 50
# Programmes per page of the programme list.
PROGRAMME_PAGE_SIZE = 100


@login_required
def programme_list(request: HtmxHttpRequest) -> HttpResponse:
    programmes = selectors.programme_list(request.user)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        programmes = programmes.filter(stage=stage)
    page = Paginator(programmes, PROGRAMME_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/programme_list.html",
        {"page": page, "stages": Stage.choices, "current_stage": stage},
    )


@login_required
def programme_create(request: HtmxHttpRequest) -> HttpResponse:
    form = NewProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, f"{programme.name} has been created.")
            return redirect_or_htmx_redirect(request, programme.get_absolute_url())
    status = 400 if form.errors else 200
    return form_response(request, "programmes/programme_form.html", {"form": form}, status=status)


@login_required
def programme_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = selectors.get_programme_for_user(request.user, slug)
    context = {
        "programme": programme,
        "access": access,
        "members": selectors.programme_members(programme),
        "transitions": selectors.programme_transitions(programme)[:20],
        "transition_form": _transition_form(programme),
        "member_form": MemberForm(),
        "roles": Role.choices,
        "panels": render_panels(request, "programme-overview", programme=programme, access=access),
        "next_review_at": next_weekly_at(
            timezone.now(),
            timezone=programme.review_timezone,
            weekday=programme.review_weekday,
            at=programme.review_time,
        ),
    }
    return render(request, "programmes/programme_detail.html", context)


def _transition_form(programme: Programme, data: Any = None) -> TransitionForm:
    form = TransitionForm(data)
    reachable = ALLOWED_TRANSITIONS[programme.stage]
    form.fields["stage"].choices = [  # type: ignore[attr-defined]
        (value, label) for value, label in Stage.choices if value in reachable
    ]
    return form


@login_required
def programme_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = selectors.get_programme_for_user(request.user, slug)
    require_may_edit_programme(access)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_programme(
                actor=request.user, programme=programme, access=access, **form.cleaned_data
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect_or_htmx_redirect(request, programme.get_absolute_url())
    status = 400 if form.errors else 200
    context = {"form": form, "programme": programme}
    return form_response(request, "programmes/programme_form.html", context, status=status)


@login_required
@require_POST
def programme_transition(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = selectors.get_programme_for_user(request.user, slug)
    require_may_change_stage(access)
    form = _transition_form(programme, request.POST)
    if form.is_valid():
        try:
            services.transition_programme(
                actor=request.user,
                programme=programme,
                access=access,
                to_stage=form.cleaned_data["stage"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(
                request, f"{programme.name} is now in {programme.get_stage_display()}."
            )
            return redirect_or_htmx_redirect(request, programme.get_absolute_url())
    context = {"programme": programme, "access": access, "transition_form": form}
    if request.htmx:
        return render(request, "programmes/programme_detail.html#transition", context, status=400)
    return render(request, "programmes/transition_page.html", context, status=400)


@login_required
def programme_audit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, _ = selectors.get_programme_for_user(request.user, slug)
    page = Paginator(selectors.programme_audit_events(programme), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "programmes/programme_audit.html", {"programme": programme, "page": page}
    )
