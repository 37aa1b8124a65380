"""Pages for programmes and people: each view parses input, calls a service or selector, renders."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import notifications, selectors, services
from .access import (
    require_may_change_stage,
    require_may_edit_programme,
    require_may_manage_members,
    require_may_manage_people,
    require_may_manage_tokens,
)
from .errors import DomainError, NotAllowed
from .forms import (
    MemberForm,
    MemberRoleForm,
    NewProgrammeForm,
    NotificationPreferencesForm,
    PersonForm,
    ProgrammeForm,
    ProgrammeTokenForm,
    TransitionForm,
)
from .models import Channel, NotificationStatus, Person, Programme, ProgrammeToken, Role, Stage
from .pages import (
    HtmxHttpRequest,
    attach_domain_error,
    confirmation_page,
    form_response,
    redirect_or_htmx_redirect,
    redirect_or_htmx_refresh,
    render_panels,
)
from .registry.notification_kinds import kind_choices, kind_keys
from .rules import ALLOWED_TRANSITIONS, Access, next_weekly_at

AUDIT_PAGE_SIZE = 50
INBOX_PAGE_SIZE = 30
NOTIFICATION_LOG_PAGE_SIZE = 50


@login_required
def home(request: HtmxHttpRequest) -> HttpResponse:
    return redirect("programme-list")


@login_required
def programme_list(request: HtmxHttpRequest) -> HttpResponse:
    programmes = selectors.programme_list(request.user)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        programmes = programmes.filter(stage=stage)
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": programmes, "stages": Stage.choices, "current_stage": stage},
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


@login_required
@require_POST
def member_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = selectors.get_programme_for_user(request.user, slug)
    require_may_manage_members(access)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.add_member(
                actor=request.user,
                programme=programme,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            attach_domain_error(form, error)
    if form.errors:
        for message in form.errors.get_json_data().values():
            messages.error(request, message[0]["message"])
    else:
        messages.success(request, f"{form.cleaned_data['username']} now has access.")
    return redirect(programme.get_absolute_url() + "#members")


@login_required
@require_POST
def member_change(request: HtmxHttpRequest, slug: str, member_id: int) -> HttpResponse:
    programme, access = selectors.get_programme_for_user(request.user, slug)
    membership = get_object_or_404(selectors.programme_members(programme), pk=member_id)
    try:
        if "remove" in request.POST:
            services.remove_member(actor=request.user, membership=membership, access=access)
            messages.success(request, f"{membership.user} no longer has access.")
        else:
            form = MemberRoleForm(request.POST)
            if not form.is_valid():
                raise DomainError("Choose viewer, editor or owner.", field="role")
            services.change_member_role(
                actor=request.user,
                membership=membership,
                access=access,
                role=form.cleaned_data["role"],
            )
            messages.success(
                request, f"{membership.user} is now {membership.get_role_display().lower()}."
            )
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(programme.get_absolute_url() + "#members")


@login_required
def people_list(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        "people": selectors.people_directory(),
        "can_manage": selectors.can_manage_people(request.user),
    }
    return render(request, "programmes/people_list.html", context)


@login_required
def person_form(request: HtmxHttpRequest, person_id: int | None = None) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id) if person_id else None
    if person is not None and not selectors.may_change_person(request.user, person):
        raise PermissionDenied(services.PERSON_CHANGE_REFUSAL)
    if person is None:
        require_may_manage_people(request.user)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                services.create_person(actor=request.user, **form.cleaned_data)
            else:
                services.update_person(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} saved.")
            return redirect_or_htmx_redirect(request, reverse("people-list"))
    status = 400 if form.errors else 200
    context = {"form": form, "person": person}
    return form_response(request, "programmes/person_form.html", context, status=status)


@login_required
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    has_person = selectors.person_of(request.user) is not None
    return render(request, "programmes/inbox.html", {"page": page, "has_person": has_person})


@login_required
@require_POST
def inbox_mark_read(request: HtmxHttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(selectors.inbox(request.user), pk=notification_id)
    notifications.mark_read(person=notification.recipient, notification_ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db()
        context = {
            "notification": notification,
            "unread_notifications": selectors.unread_count(request.user),
        }
        return render(request, "programmes/inbox.html#notification", context)
    return redirect("inbox")


@login_required
@require_POST
def inbox_mark_all_read(request: HtmxHttpRequest) -> HttpResponse:
    person = selectors.person_of(request.user)
    if person is not None:
        count = notifications.mark_read(person=person)
        messages.success(request, f"{count} notification(s) marked read.")
    return redirect("inbox")


@login_required
def notification_preferences(request: HtmxHttpRequest) -> HttpResponse:
    person = selectors.person_of(request.user)
    if person is None:
        messages.error(request, "Your account is not linked to a person in the directory yet.")
        return redirect("inbox")
    form = NotificationPreferencesForm(
        request.POST or None, switched_off=notifications.switched_off(person)
    )
    if request.method == "POST" and form.is_valid():
        notifications.set_preferences(person=person, choices=form.choices())
        messages.success(request, "Notification preferences saved.")
        return redirect("notification-preferences")
    return render(request, "programmes/notification_preferences.html", {"form": form})


@login_required
def programme_notifications(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, _ = selectors.get_programme_for_user(request.user, slug)
    log = selectors.visible_notifications(request.user).filter(programme=programme)
    filters = {
        "kind": (request.GET.get("kind", ""), kind_keys()),
        "status": (request.GET.get("status", ""), NotificationStatus.values),
        "channel": (request.GET.get("channel", ""), Channel.values),
    }
    for field, (value, allowed) in filters.items():
        if value in allowed:
            log = log.filter(**{field: value})
    page = Paginator(log, NOTIFICATION_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "programme": programme,
        "page": page,
        "kinds": kind_choices(),
        "statuses": NotificationStatus.choices,
        "channels": Channel.choices,
        "current": {field: value for field, (value, _) in filters.items()},
    }
    return render(request, "programmes/programme_notifications.html", context)


def _programme_for_tokens(request: HtmxHttpRequest, slug: str) -> tuple[Programme, Access]:
    programme, access = selectors.get_programme_for_user(request.user, slug)
    require_may_manage_tokens(access)
    return programme, access


@login_required
@require_POST
def create_token(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Create a programme token; the page shows its secret this once."""
    programme, access = _programme_for_tokens(request, slug)
    form = ProgrammeTokenForm(request.POST)
    secret = ""
    status = 400
    if form.is_valid():
        try:
            _, secret = services.issue_programme_token(
                actor=request.user,
                programme=programme,
                access=access,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
            status = 200
            form = ProgrammeTokenForm()
        except DomainError as error:
            attach_domain_error(form, error)
    context = {
        "programme": programme,
        "access": access,
        "tokens": selectors.programme_tokens(programme),
        "token_form": form,
        "token_scopes": ProgrammeToken.Scope.choices,
        "new_secret": secret,
    }
    # Without JavaScript the form was posted as a page, and a page comes back.
    template = (
        "programmes/tokens_page.html#tokens" if request.htmx else "programmes/tokens_page.html"
    )
    return render(request, template, context, status=status)


@login_required
def revoke_token(request: HtmxHttpRequest, slug: str, token_id: int) -> HttpResponse:
    """GET asks first (the page without JavaScript); POST revokes."""
    programme, access = _programme_for_tokens(request, slug)
    token = get_object_or_404(selectors.programme_tokens(programme), pk=token_id)
    back = programme.get_absolute_url()
    if request.method != "POST":
        return confirmation_page(
            request,
            question=f"Revoke the token “{token.name}”?",
            consequence=f"Whatever uses it (the token ending …{token.hint}) stops working at "
            "once. This cannot be undone; a new token can be created.",
            confirm="Revoke the token",
            cancel_url=back,
        )
    try:
        services.revoke_programme_token(actor=request.user, token=token, access=access)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Token “{token.name}” revoked.")
    return redirect_or_htmx_refresh(request, back)
