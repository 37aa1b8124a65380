"""Review pages: the Reviews tab, the review page (the live agenda, then the meeting: attendance,
notes, decisions, action items). The meeting's
forms post inline with htmx and work as plain forms without JavaScript."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from programmes import selectors as programme_selectors
from programmes.errors import DomainError, NotAllowed
from programmes.pages import (
    HtmxHttpRequest,
    attach_domain_error,
    perform,
    redirect_or_htmx_refresh,
    report_form_errors,
)

from .. import review_rules, review_selectors, services
from ..agenda import agenda_for
from ..models import ActionItem, Review, ReviewDecisionKind, ReviewStatus
from ..review_access import may_change_action, may_run_review
from ..review_forms import (
    ActionForm,
    ActionStatusForm,
    CancelForm,
    DecisionForm,
    GuestForm,
    MoveForm,
    NotesForm,
    UpcomingChangeForm,
)
from ..services.review_decisions import decided_items

LIST_SIZE = 20
PAGE = "governance/reviews/review.html"


@login_required
def review_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = programme_selectors.get_programme_for_user(request.user, slug)
    overview = review_selectors.reviews_overview(programme, timezone.now(), size=LIST_SIZE)
    context = {
        "programme": programme,
        "access": access,
        "overview": overview,
        "weeks": review_rules.RATE_WINDOW.days // 7,
    }
    return render(request, "governance/reviews/reviews.html", context)


def _agenda_items(agenda: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (entry["key"], f"{section['number']}. {entry['text']}"[:120])
        for section in agenda["sections"]
        for entry in section["items"]
    ]


def page_context(
    request: HtmxHttpRequest, review: Review, access: Any, **refused: Any
) -> dict[str, Any]:
    """The review page's context; ``refused`` holds forms (and messages) to show again with
    what was typed and why it was refused."""
    programme = review.programme
    agenda, frozen = agenda_for(review, timezone.now())
    seats, others = review_selectors.attendance_of(review, programme)
    decisions = list(review.decisions.select_related("decided_by"))
    decided = decided_items(review)
    labels = dict(_agenda_items(agenda))
    me = programme_selectors.person_of(request.user)
    actions = [
        (action, may_change_action(me, action, access))
        for action in review_selectors.review_actions(review)
    ]
    for section in agenda["sections"]:
        for entry in section["items"]:
            entry["decided"] = entry["key"] in decided
    context = {
        "programme": programme,
        "access": access,
        "review": review,
        "agenda": agenda,
        "frozen": frozen,
        "seats": seats,
        "others": others,
        "decisions": [(d, labels.get(d.agenda_item, "")) for d in decisions],
        "actions": actions,
        "may_run": may_run_review(access),
        "in_meeting": review.status == ReviewStatus.STARTED,
        "notes_form": NotesForm(initial={"notes": review.notes}),
        "guest_form": GuestForm(),
        "decision_form": DecisionForm(items=_agenda_items(agenda)),
        "action_form": ActionForm(),
        "cancel_form": CancelForm(),
        "move_form": MoveForm(),
        "change_form": UpcomingChangeForm(),
        "attendance_error": "",
        "defer": ReviewDecisionKind.DEFER,
    }
    context.update(refused)
    return context


@login_required
def review_detail(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    return render(request, PAGE, page_context(request, review, access))


def _answer(
    request: HtmxHttpRequest,
    review: Review,
    access: Any,
    *,
    partial: str,
    ok: bool,
    done: str,
    **forms: Any,
) -> HttpResponse:
    """After a meeting form: htmx gets its part of the page back (with the form's errors and
    values when refused); a plain form goes back to the page, or sees it again with the errors."""
    review.refresh_from_db()
    if request.htmx and ok and partial == "manage":
        messages.success(request, done)
        return HttpResponseClientRefresh()
    if request.htmx:
        if ok:
            forms = {}
        context = page_context(request, review, access, **forms)
        context["saved"] = done if ok else ""
        return render(request, f"{PAGE}#{partial}", context, status=200 if ok else 400)
    if ok:
        messages.success(request, done)
        return redirect(f"{review.get_absolute_url()}#{partial}")
    return render(request, PAGE, page_context(request, review, access, **forms), status=400)


def _attempt(form: Any, act: Any) -> bool:
    if not form.is_valid():
        return False
    try:
        act(form.cleaned_data)
    except DomainError as error:
        attach_domain_error(form, error)
        return False
    return True


@login_required
@require_POST
def review_attendance(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    """Mark a named owner present or absent (``person`` and ``present``), or add a guest."""
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    form = GuestForm(request.POST)
    if "person" not in request.POST:
        ok = _attempt(
            form,
            lambda data: services.set_attendance(
                actor=request.user,
                review=review,
                access=access,
                guest_name=data["guest_name"],
                present=True,
            ),
        )
        return _answer(
            request,
            review,
            access,
            partial="attendance",
            ok=ok,
            done="Guest added.",
            guest_form=form,
        )
    seats, _ = review_selectors.attendance_of(review, review.programme)
    person = next((s.person for s in seats if str(s.person.pk) == request.POST["person"]), None)
    refusal = ""
    try:
        if person is None:
            raise DomainError("Mark the programme's named owners, or add a guest by name.")
        services.set_attendance(
            actor=request.user,
            review=review,
            access=access,
            person=person,
            present=request.POST.get("present") == "1",
        )
    except NotAllowed:
        raise
    except DomainError as error:
        refusal = error.message
    return _answer(
        request,
        review,
        access,
        partial="attendance",
        ok=not refusal,
        done="Attendance recorded.",
        attendance_error=refusal,
    )


@login_required
@require_POST
def review_notes(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    form = NotesForm(request.POST)
    ok = _attempt(
        form,
        lambda data: services.save_notes(
            actor=request.user, review=review, access=access, notes=data["notes"]
        ),
    )
    return _answer(
        request, review, access, partial="notes", ok=ok, done="Notes saved.", notes_form=form
    )


@login_required
@require_POST
def review_decision(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    agenda, _ = agenda_for(review, timezone.now())
    form = DecisionForm(request.POST, items=_agenda_items(agenda))
    ok = _attempt(
        form,
        lambda data: services.record_decision(
            actor=request.user, review=review, access=access, **data
        ),
    )
    return _answer(
        request,
        review,
        access,
        partial="decisions",
        ok=ok,
        done="Decision recorded.",
        decision_form=form,
    )


@login_required
@require_POST
def review_action(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    form = ActionForm(request.POST)
    ok = _attempt(
        form,
        lambda data: services.add_action(actor=request.user, review=review, access=access, **data),
    )
    return _answer(
        request, review, access, partial="actions", ok=ok, done="Action added.", action_form=form
    )


@login_required
@require_POST
def review_action_status(
    request: HtmxHttpRequest, slug: str, review_id: int, action_id: int
) -> HttpResponse:
    """Close an action item (done, or dropped with a reason) or open it again."""
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    action = get_object_or_404(ActionItem, pk=action_id, programme=review.programme)
    form = ActionStatusForm(request.POST)
    ok = _attempt(
        form,
        lambda data: services.set_action_status(
            actor=request.user, action=action, access=access, **data
        ),
    )
    if not ok and not request.htmx:
        report_form_errors(request, form)
        return redirect(f"{review.get_absolute_url()}#actions")
    return _answer(request, review, access, partial="actions", ok=ok, done="Action updated.")


def _lifecycle(request: HtmxHttpRequest, review: Review, act: Any, done: str) -> HttpResponse:
    perform(request, act, done)
    return redirect_or_htmx_refresh(request, review.get_absolute_url())


@login_required
@require_POST
def review_start(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    return _lifecycle(
        request,
        review,
        lambda: services.start_review(actor=request.user, review=review, access=access),
        "Review started: the agenda is frozen as the meeting's record.",
    )


@login_required
@require_POST
def review_hold(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    if perform(
        request,
        lambda: services.hold_review(actor=request.user, review=review, access=access),
        "Review held; the minutes went to the attendees and the named owners.",
    ):
        if request.htmx:
            return HttpResponseClientRedirect(review.get_minutes_url())
        return redirect(review.get_minutes_url())
    return redirect_or_htmx_refresh(request, review.get_absolute_url())


@login_required
@require_POST
def review_cancel(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    form = CancelForm(request.POST)
    ok = _attempt(
        form,
        lambda data: services.cancel_review(
            actor=request.user, review=review, access=access, reason=data["reason"]
        ),
    )
    return _answer(
        request, review, access, partial="manage", ok=ok, done="Review cancelled.", cancel_form=form
    )


@login_required
@require_POST
def review_move(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    with timezone.override(review.timezone):
        form = MoveForm(request.POST)
        ok = _attempt(
            form,
            lambda data: services.move_review(
                actor=request.user, review=review, access=access, to=data["to"]
            ),
        )
    return _answer(
        request, review, access, partial="manage", ok=ok, done="Review moved.", move_form=form
    )


@login_required
@require_POST
def review_change(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    form = UpcomingChangeForm(request.POST)
    ok = _attempt(
        form,
        lambda data: services.add_upcoming_change(
            actor=request.user, review=review, access=access, **data
        ),
    )
    return _answer(
        request,
        review,
        access,
        partial="agenda",
        ok=ok,
        done="Added to the agenda.",
        change_form=form,
    )
