"""Programme tokens for machines: created (the secret shown once) and revoked, by owners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import (
    require_may_manage_tokens,
)
from ..errors import DomainError
from ..forms import (
    ProgrammeTokenForm,
)
from ..models import Programme, ProgrammeToken
from ..pages import (
    HtmxHttpRequest,
    attach_domain_error,
    confirmation_page,
    redirect_or_htmx_refresh,
)
from ..rules import Access


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
