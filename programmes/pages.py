"""What every app's pages share: the htmx request type, form answers, a page's write with its
messages, the confirmation page and the redirects that work with and without htmx."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh
from django_htmx.middleware import HtmxDetails

from .errors import DomainError, NotAllowed
from .registry.panels import panels_for


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


def attach_domain_error(form: BaseForm, error: DomainError) -> None:
    """Every refusal of ``error`` beside its field, or above the form when it has none there.
    A refusal for lack of rights is no form error: it goes on, to be answered with a 403."""
    if isinstance(error, NotAllowed):
        raise error
    for field, refusals in error.errors.items():
        for message in refusals:
            form.add_error(field if field in form.fields else None, message)


def form_response(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The whole page, or only its form partial when htmx submitted the form."""
    if request.htmx:
        template = f"{template}#form"
    return render(request, template, context, status=status)


def perform(request: HtmxHttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a page's write: a refusal for lack of rights is a 403, any other refusal becomes an
    error message on the next page, success a success message. Returns whether it succeeded."""
    try:
        action()
    except NotAllowed:
        raise
    except DomainError as error:
        for refusals in error.errors.values():
            for message in refusals:
                messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def report_form_errors(request: HtmxHttpRequest, form: BaseForm) -> None:
    """A form posted from a page that redirects back: each field's first error as a message."""
    for field_errors in form.errors.get_json_data().values():
        messages.error(request, field_errors[0]["message"])


def confirmation_page(
    request: HtmxHttpRequest, *, question: str, consequence: str, confirm: str, cancel_url: str
) -> HttpResponse:
    """The page that asks before a destructive action when there is no JavaScript (with it, the
    button asks with ``hx-confirm``). Its form posts back to the same address."""
    context = {
        "question": question,
        "consequence": consequence,
        "confirm": confirm,
        "cancel_url": cancel_url,
    }
    return render(request, "confirm.html", context)


def redirect_or_htmx_refresh(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """After a write from a button on a page: htmx reloads the page the button was on (a
    client redirect to the same page and an anchor would only scroll); a plain form goes to
    ``url``."""
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(url)


def redirect_or_htmx_redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def render_panels(request: HttpRequest, slot: str, **kwargs: Any) -> list[SafeString]:
    """The panels the apps above registered for ``slot`` (``programmes.registry.panels``), each
    rendered with what its context function returns. The page's context processors have run
    already, so the panels do not run them again."""
    rendered = []
    for panel in panels_for(slot):
        context = {"request": request, **kwargs, **panel.context(request=request, **kwargs)}
        rendered.append(SafeString(get_template(panel.template).render(context)))
    return rendered
