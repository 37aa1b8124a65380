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
# The name each of the page's forms has in its context.
FORM_KEYS: dict[type, str] = {
    NotesForm: "notes_form",
    GuestForm: "guest_form",
    DecisionForm: "decision_form",
    ActionForm: "action_form",
    CancelForm: "cancel_form",
    MoveForm: "move_form",
    UpcomingChangeForm: "change_form",
}
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


def _post_form(
    request: HtmxHttpRequest,
    review: Review,
    access: Any,
    form: Any,
    service: Any,
    partial: str,
    done: str,
) -> HttpResponse:
    """A meeting form posted: its values handed to ``service`` for the review, answered with the
    page's part ``partial`` (the form kept, with its errors, when refused)."""
    ok = _attempt(
        form, lambda data: service(actor=request.user, review=review, access=access, **data)
    )
    key = FORM_KEYS[type(form)]
    return _answer(request, review, access, partial=partial, ok=ok, done=done, **{key: form})


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
    return _post_form(request, review, access, form, services.save_notes, "notes", "Notes saved.")


@login_required
@require_POST
def review_decision(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    agenda, _ = agenda_for(review, timezone.now())
    form = DecisionForm(request.POST, items=_agenda_items(agenda))
    return _post_form(
        request, review, access, form, services.record_decision, "decisions", "Decision recorded."
    )


@login_required
@require_POST
def review_action(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    form = ActionForm(request.POST)
    return _post_form(
        request, review, access, form, services.add_action, "actions", "Action added."
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
    return _post_form(
        request, review, access, form, services.cancel_review, "manage", "Review cancelled."
    )


@login_required
@require_POST
def review_move(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    # The time typed on the page is read on the review's clock.
    with timezone.override(review.timezone):
        form = MoveForm(request.POST)
        return _post_form(
            request, review, access, form, services.move_review, "manage", "Review moved."
        )


@login_required
@require_POST
def review_change(request: HtmxHttpRequest, slug: str, review_id: int) -> HttpResponse:
    review, access = review_selectors.get_review_for_user(request.user, slug, review_id)
    form = UpcomingChangeForm(request.POST)
    return _post_form(
        request,
        review,
        access,
        form,
        services.add_upcoming_change,
        "agenda",
        "Added to the agenda.",
    )
