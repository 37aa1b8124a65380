"""A programme's members: added, their role changed, removed (owners only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import (
    require_may_manage_members,
)
from ..errors import DomainError, NotAllowed
from ..forms import (
    MemberForm,
    MemberRoleForm,
)
from ..pages import (
    HtmxHttpRequest,
    attach_domain_error,
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
