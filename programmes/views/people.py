"""The people directory: listed, a person added or changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .. import selectors, services
from ..access import (
    require_may_manage_people,
)
from ..errors import DomainError
from ..forms import (
    PersonForm,
)
from ..models import Person
from ..pages import (
    HtmxHttpRequest,
    attach_domain_error,
    form_response,
    redirect_or_htmx_redirect,
)

# People per page of the directory.
PEOPLE_PAGE_SIZE = 100


@login_required
def people_list(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        "page": Paginator(selectors.people_directory(), PEOPLE_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
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
