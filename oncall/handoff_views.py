"""The handoff page: who is on call, the handoff that began the current shift, the next one, the
outgoing shift's incidents. Its forms (notes, “I have it”, acknowledging for someone) answer a
refusal with the whole page, the values kept and the error beside the field."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes.errors import DomainError
from programmes.models import Person
from programmes.pages import HtmxHttpRequest, attach_domain_error, render_panels
from programmes.rules import Access
from programmes.selectors import person_of

from . import handoff_rules, handoffs, selectors
from .forms import AcknowledgeForm, HandoffNotesForm
from .models import Handoff, Rotation

NOTES = "notes"
ACKNOWLEDGE = "acknowledge"
# A bound form that came back refused, by the handoff and the kind of form it is.
Refused = dict[tuple[int, str], BaseForm]


@dataclass(frozen=True)
class HandoffPanel:
    """One handoff as the page shows it to one viewer: what they may do, and the forms."""

    handoff: Handoff
    upcoming: bool
    acknowledgement: str | None
    may_acknowledge: bool
    may_acknowledge_for: bool
    acknowledge_opens_at: dt.datetime
    too_early: bool
    may_write_notes: bool
    notes_form: BaseForm
    acknowledge_form: BaseForm


def _prefix(handoff: Handoff) -> str:
    return f"handoff-{handoff.pk}"


def _panel(
    handoff: Handoff, *, access: Access, me: Person | None, now: dt.datetime, refused: Refused
) -> HandoffPanel:
    opens_at = handoff_rules.acknowledge_opens_at(handoff.starts_at)
    # Judged as if the window were open: the page says when it opens instead of hiding the form.
    judged_at = max(now, opens_at)

    def offered(on_behalf: bool) -> bool:
        refusal = handoffs.acknowledgement_refusal(
            handoff, access=access, person=me, on_behalf=on_behalf, now=judged_at
        )
        return refusal is None

    prefix = _prefix(handoff)
    return HandoffPanel(
        handoff=handoff,
        upcoming=handoff.starts_at > now,
        acknowledgement=handoffs.acknowledgement_text(handoff),
        may_acknowledge=offered(False),
        may_acknowledge_for=offered(True),
        acknowledge_opens_at=opens_at,
        too_early=now < opens_at,
        may_write_notes=handoff_rules.may_write_notes(
            person_id=me.pk if me else None,
            outgoing_id=handoff.outgoing_id,
            incoming_id=handoff.incoming_id,
            can_edit=access.can_edit,
        ),
        notes_form=refused.get(
            (handoff.pk, NOTES), HandoffNotesForm(initial={"notes": handoff.notes}, prefix=prefix)
        ),
        acknowledge_form=refused.get((handoff.pk, ACKNOWLEDGE), AcknowledgeForm(prefix=prefix)),
    )


def _page(
    request: HtmxHttpRequest,
    rotation: Rotation,
    access: Access,
    *,
    refused: Refused | None = None,
    status: int = 200,
) -> HttpResponse:
    refused = refused or {}
    now = timezone.now()
    me = person_of(request.user)
    view = handoffs.handoff_view(rotation, now)
    panels = {
        name: _panel(handoff, access=access, me=me, now=now, refused=refused)
        for name, handoff in (("current", view.current), ("next", view.next))
        if handoff is not None
    }
    shown = {panel.handoff.pk for panel in panels.values()}
    # A refused form for a handoff no longer on the page still says why.
    for (handoff_id, _), form in refused.items():
        if handoff_id not in shown:
            for errors in form.errors.get_json_data().values():
                messages.error(request, errors[0]["message"])
    context = {
        "rotation": rotation,
        "programme": rotation.programme,
        "access": access,
        "answer": selectors.on_call_now([rotation], now)[0],
        "view": view,
        "current": panels.get("current"),
        "next": panels.get("next"),
        "people": view.people,
        "panels": render_panels(
            request,
            "handoff",
            programme=rotation.programme,
            rotation=rotation,
            access=access,
            since=view.incidents_since,
            until=now,
        ),
        "zone": selectors.versions_of(rotation)[-1].cadence.timezone,
        "me": me,
        "cover_requests": selectors.open_cover_requests(rotation).filter(end__gt=now)[:10],
    }
    return render(request, "oncall/handoff.html", context, status=status)


@login_required
def handoff_page(request: HtmxHttpRequest, rotation_id: int) -> HttpResponse:
    """The handoff page. It only reads: the scheduler tick prepares handoff rows ahead of time."""
    rotation, access = selectors.get_rotation_for_user(request.user, rotation_id)
    return _page(request, rotation, access)


def _handoff(
    request: HtmxHttpRequest, rotation_id: int, handoff_id: int
) -> tuple[Rotation, Access, Handoff]:
    rotation, access = selectors.get_rotation_for_user(request.user, rotation_id)
    handoff = get_object_or_404(selectors.rotation_handoffs(rotation), pk=handoff_id)
    return rotation, access, handoff


def _answer(
    request: HtmxHttpRequest,
    rotation: Rotation,
    access: Access,
    handoff: Handoff,
    kind: str,
    form: BaseForm,
    write: Any,
    success: str,
) -> HttpResponse:
    """Run ``write`` for a valid form: success goes back to the page with a message; a refusal
    for lack of rights is a 403; any other refusal shows the page again with the form as sent."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect(reverse("handoff", args=[rotation.pk]) + f"#handoff-{handoff.pk}")
    return _page(request, rotation, access, refused={(handoff.pk, kind): form}, status=400)


@login_required
@require_POST
def handoff_notes(request: HtmxHttpRequest, rotation_id: int, handoff_id: int) -> HttpResponse:
    rotation, access, handoff = _handoff(request, rotation_id, handoff_id)

    def save(data: dict[str, Any]) -> None:
        handoffs.save_handoff_notes(
            actor=request.user, handoff=handoff, access=access, notes=data["notes"]
        )

    form = HandoffNotesForm(request.POST, prefix=_prefix(handoff))
    return _answer(request, rotation, access, handoff, NOTES, form, save, "Notes saved.")


@login_required
@require_POST
def handoff_acknowledge(
    request: HtmxHttpRequest, rotation_id: int, handoff_id: int
) -> HttpResponse:
    rotation, access, handoff = _handoff(request, rotation_id, handoff_id)
    form = AcknowledgeForm(request.POST, prefix=_prefix(handoff))
    on_behalf = form.is_valid() and form.cleaned_data["on_behalf"]

    def acknowledge(data: dict[str, Any]) -> None:
        handoffs.acknowledge_handoff(
            actor=request.user,
            handoff=handoff,
            access=access,
            on_behalf=data["on_behalf"],
            reason=data["reason"],
        )

    success = f"Acknowledged for {handoff.incoming}." if on_behalf else "Acknowledged: you have it."
    return _answer(request, rotation, access, handoff, ACKNOWLEDGE, form, acknowledge, success)
