"""Readiness pages: the Readiness tab (definition, pillars with live evidence, waivers, the
review and its history), its forms, and the printable statement with its Markdown download."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from programmes.errors import DomainError, NotAllowed
from programmes.models import Person, Programme
from programmes.pages import HtmxHttpRequest, attach_domain_error, redirect_or_htmx_refresh
from programmes.rules import Access
from programmes.selectors import get_programme_for_user, is_leadership, person_of

from ..access import may_waive, may_write_readiness
from ..models import Criterion, DefinitionVersion, Pillar, SignOff
from ..readiness_forms import (
    AgreementForm,
    CommentForm,
    CriterionChangeForm,
    CriterionForm,
    DefinitionForm,
    SignForm,
    WaiverForm,
)
from ..readiness_rules import OPEN_STATUSES
from ..readiness_statement import statement_markdown
from ..selectors.pilot_verdict import pilot_verdict
from ..selectors.readiness import readiness_of
from ..services import readiness as services

PAGE = "governance/readiness/page.html"
# Earlier review rounds shown per page of the tab.
ROUNDS_PER_PAGE = 5


def _rounds_page(request: HtmxHttpRequest) -> int:
    """The page of earlier rounds asked for (``?rounds=``), from 1; anything else is page 1."""
    asked = request.GET.get("rounds", "")
    return int(asked) if asked.isdigit() and 0 < int(asked) <= 100_000 else 1


def _page(
    request: HtmxHttpRequest,
    programme: Programme,
    access: Access,
    *,
    status: int = 200,
    partial: str = "",
    **bound: Any,
) -> HttpResponse:
    """The Readiness tab (or only its ``partial``), with any form the request bound."""
    number = _rounds_page(request)
    start = (number - 1) * ROUNDS_PER_PAGE
    readiness = readiness_of(
        programme, timezone.now(), past_rounds=slice(start, start + ROUNDS_PER_PAGE)
    )
    pages = max(1, -(-readiness.past_total // ROUNDS_PER_PAGE))
    me = person_of(request.user)
    context = {
        "programme": programme,
        "access": access,
        "readiness": readiness,
        "verdict": pilot_verdict(programme, readiness.now),
        "may_write": may_write_readiness(access),
        "me": me,
        "waivable": {
            pillar
            for pillar in Pillar.values
            if may_waive(
                me, programme, pillar, writes=access.can_edit or is_leadership(request.user)
            )
        },
        "state_choices": OPEN_STATUSES,
        "people": list(Person.objects.only("id", "name")),
        "definition_form": DefinitionForm(
            initial={"text": readiness.versions[0].text if readiness.versions else ""}
        ),
        "agreement_form": AgreementForm(initial={"agreed_on": timezone.localdate()}),
        "criterion_form": CriterionForm(),
        "rounds_page": {
            "number": number,
            "pages": pages,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < pages else None,
        },
        "row_kind": "",
        "row_id": None,
        "row_form": None,
        "action_errors": [],
        **bound,
    }
    template = f"{PAGE}#{partial}" if partial else PAGE
    return render(request, template, context, status=status)


def _act(
    request: HtmxHttpRequest,
    slug: str,
    form_class: type[forms.Form],
    run: Callable[[Programme, Access, dict[str, Any]], object],
    success: str,
    *,
    form_key: str = "",
    row: tuple[str, int] | None = None,
    find: Callable[[Programme], object] | None = None,
) -> HttpResponse:
    """A readiness form's write. A refusal re-renders the page (or, from htmx, the form) with
    the values kept and the errors beside them — for a row's small form (``row``: its kind and
    the row's id), in that row; a right the user lacks is a 403. ``find`` looks the row up
    first, so a row that is not the programme's is a 404 whatever was posted."""
    programme, access = get_programme_for_user(request.user, slug)
    if find is not None:
        find(programme)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(programme, access, form.cleaned_data)
        except NotAllowed:
            raise
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect_or_htmx_refresh(request, reverse("readiness", args=[slug]))
    if form_key:
        partial = form_key if request.htmx else ""
        return _page(request, programme, access, status=400, partial=partial, **{form_key: form})
    # Also above the page: the row's form may not be shown (a round closed meanwhile).
    errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    kind, row_id = row or ("", None)
    return _page(
        request,
        programme,
        access,
        status=400,
        action_errors=errors,
        row_kind=kind,
        row_id=row_id,
        row_form=form,
    )


@login_required
@require_GET
def readiness_page(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = get_programme_for_user(request.user, slug)
    return _page(request, programme, access)


@login_required
@require_POST
def definition_write(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def run(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.write_definition(
            actor=request.user, programme=programme, access=access, text=data["text"]
        )

    return _act(
        request, slug, DefinitionForm, run, "New version written.", form_key="definition_form"
    )


@login_required
@require_POST
def definition_agree(request: HtmxHttpRequest, slug: str, version_id: int) -> HttpResponse:
    def version_of(programme: Programme) -> DefinitionVersion:
        return get_object_or_404(programme.readiness_definitions, pk=version_id)

    def run(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.agree_definition(
            actor=request.user,
            version=version_of(programme),
            access=access,
            agreed_on=data["agreed_on"],
            agreed_by=list(data["agreed_by"]),
        )

    return _act(
        request,
        slug,
        AgreementForm,
        run,
        "Agreement recorded.",
        form_key="agreement_form",
        find=version_of,
    )


@login_required
@require_POST
def criterion_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def run(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.add_criterion(
            actor=request.user, programme=programme, access=access, **data
        )

    return _act(request, slug, CriterionForm, run, "Criterion added.", form_key="criterion_form")


@login_required
@require_POST
def criteria_defaults(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def run(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.start_default_criteria(
            actor=request.user, programme=programme, access=access
        )

    return _act(request, slug, forms.Form, run, "Default criteria added.")


@login_required
@require_POST
def criterion_change(request: HtmxHttpRequest, slug: str, criterion_id: int) -> HttpResponse:
    def criterion_of(programme: Programme) -> Criterion:
        return get_object_or_404(programme.readiness_criteria, pk=criterion_id)

    def run(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.update_criterion(
            actor=request.user, criterion=criterion_of(programme), access=access, **data
        )

    return _act(
        request,
        slug,
        CriterionChangeForm,
        run,
        "Criterion saved.",
        row=("change", criterion_id),
        find=criterion_of,
    )


@login_required
@require_POST
def criterion_waive(request: HtmxHttpRequest, slug: str, criterion_id: int) -> HttpResponse:
    def criterion_of(programme: Programme) -> Criterion:
        return get_object_or_404(programme.readiness_criteria, pk=criterion_id)

    def run(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.grant_waiver(
            actor=request.user,
            criterion=criterion_of(programme),
            access=access,
            reason=data["reason"],
            expires_on=data["expires_on"],
        )

    return _act(
        request,
        slug,
        WaiverForm,
        run,
        "Waiver granted.",
        row=("waive", criterion_id),
        find=criterion_of,
    )


@login_required
@require_POST
def review_open(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    def run(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.open_review(actor=request.user, programme=programme, access=access)

    return _act(request, slug, forms.Form, run, "New round opened.")


@login_required
@require_POST
def signoff_action(
    request: HtmxHttpRequest, slug: str, signoff_id: int, action: str
) -> HttpResponse:
    def signoff_of(programme: Programme) -> SignOff:
        return get_object_or_404(
            SignOff.objects.select_related("review__programme", "signer"),
            pk=signoff_id,
            review__programme=programme,
        )

    def run_sign(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.sign(
            actor=request.user, signoff=signoff_of(programme), access=access, **data
        )

    def run_reattest(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.reattest(
            actor=request.user, signoff=signoff_of(programme), access=access, **data
        )

    def run_withdraw(programme: Programme, access: Access, data: dict[str, Any]) -> object:
        return services.withdraw(
            actor=request.user, signoff=signoff_of(programme), access=access, **data
        )

    actions: dict[str, tuple[type[forms.Form], Any, str]] = {
        "sign": (SignForm, run_sign, "Sign-off recorded."),
        "reattest": (CommentForm, run_reattest, "Re-attestation recorded."),
        "withdraw": (CommentForm, run_withdraw, "Approval withdrawn."),
    }
    if action not in actions:
        raise Http404("No such action.")
    form_class, run, success = actions[action]
    return _act(request, slug, form_class, run, success, row=(action, signoff_id), find=signoff_of)


@login_required
@require_GET
def statement(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = get_programme_for_user(request.user, slug)
    readiness = readiness_of(programme, timezone.now())
    context = {"programme": programme, "access": access, "readiness": readiness}
    return render(request, "governance/readiness/statement.html", context)


@login_required
@require_GET
def statement_download(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, _ = get_programme_for_user(request.user, slug)
    text = statement_markdown(readiness_of(programme, timezone.now()))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    day = timezone.now().date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="readiness-{programme.slug}-{day}.md"'
    return response
