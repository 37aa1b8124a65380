"""The "Stop conditions" tab: the policy, every condition with its state and distance to trip,
and one condition's page with its trips, decisions and versions. Every form works without
JavaScript; with htmx it swaps itself."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes.errors import DomainError, FieldErrors
from programmes.models import Person, Programme
from programmes.pages import (
    HtmxHttpRequest,
    attach_domain_error,
    form_response,
    perform,
    redirect_or_htmx_redirect,
)
from programmes.selectors import get_programme_for_user, person_of

from ..access import (
    may_approve,
    may_decide,
    may_record_decisions,
    may_write_stop_conditions,
    require_may_record_decisions,
    require_may_write_stop_conditions,
)
from ..models import StopCondition, StopPolicy
from ..selectors import stop_conditions as selectors
from ..selectors.stop_condition_data import rule_context
from ..selectors.stop_condition_dry_run import dry_run
from ..services import stop_conditions as services
from ..services.stop_policies import save_policy
from ..stop_condition_forms import ConditionForm, DecisionForm, PolicyForm
from ..stop_condition_rules import describe, rule_kinds

PAGE = "governance/stop_conditions/stop_conditions.html"
DETAIL = "governance/stop_conditions/stop_condition.html"
LIST_SIZE = 50


def _form_error(form: Any, error: DomainError) -> None:
    """A service's refusal beside the form's field (``rule.count`` is the field ``rule_count``)."""
    renamed = {
        (field.replace("rule.", "rule_", 1) if field else field): messages_
        for field, messages_ in error.errors.items()
    }
    attach_domain_error(form, FieldErrors(renamed))


def _described(conditions: list[StopCondition], programme: Programme) -> list[dict[str, Any]]:
    context = rule_context(programme, timezone.localdate())
    rows = []
    for condition in conditions:
        version = selectors.in_force(condition) or selectors.pending(condition)
        rows.append(
            {
                "condition": condition,
                "version": version,
                "in_force": selectors.in_force(condition),
                "pending": selectors.pending(condition),
                "trip": selectors.open_trip(condition),
                "rule": describe(version.rule_kind, version.rule, context)
                if version and version.rule_kind
                else "",
                "percent": int(condition.distance_fraction * 100)
                if condition.distance_fraction is not None
                else None,
            }
        )
    return rows


def _preview(form: ConditionForm, programme: Programme) -> Any:
    """The dry run of the form's rule, or None (a refusal goes beside its field)."""
    kind = form.cleaned_data["rule_kind"]
    if not kind:
        form.add_error(
            "rule_kind", "Choose a rule to try; a condition without one is assessed by people."
        )
        return None
    try:
        rule = services.checked_rule(programme, kind, form.rule_values())
    except DomainError as error:
        _form_error(form, error)
        return None
    return dry_run(programme, kind, rule, now=timezone.now())


def _post_condition(
    request: HtmxHttpRequest,
    form: ConditionForm,
    programme: Programme,
    write: Callable[[dict[str, Any]], str],
    done: str,
) -> tuple[HttpResponse | None, Any]:
    """A posted condition form: only tried (``preview``: the dry run, nothing saved) or written
    by ``write`` (which returns where to go next). Returns the redirect, or the preview."""
    if not form.is_valid():
        return None, None
    if "preview" in request.POST:
        return None, _preview(form, programme)
    fields = {
        "text": form.cleaned_data["text"],
        "consequence": form.cleaned_data["consequence"],
        "rule_kind": form.cleaned_data["rule_kind"],
        "rule": form.rule_values(),
    }
    try:
        url = write(fields)
    except DomainError as error:
        _form_error(form, error)
        return None, None
    messages.success(request, done)
    if fields["rule_kind"]:
        rule = services.checked_rule(programme, fields["rule_kind"], fields["rule"])
        if dry_run(programme, fields["rule_kind"], rule, now=timezone.now()).now.tripping:
            messages.warning(
                request,
                "Its rule trips now: once approved, it trips at once and asks for a decision.",
            )
    return redirect_or_htmx_redirect(request, url), None


@login_required
def stop_conditions(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The tab; POST writes a new condition, or (``preview``) only tries its rule."""
    programme, access = get_programme_for_user(request.user, slug)
    form = ConditionForm(request.POST or None, programme=programme)
    preview = None
    if request.method == "POST":
        require_may_write_stop_conditions(access)

        def write(fields: dict[str, Any]) -> str:
            condition = services.create_condition(
                actor=request.user, programme=programme, access=access, **fields
            )
            return condition.get_absolute_url()

        written, preview = _post_condition(
            request, form, programme, write, "Condition written; an approver approves it next."
        )
        if written is not None:
            return written
    policy = selectors.programme_policy(programme)
    me = person_of(request.user)
    conditions = list(selectors.programme_conditions(programme)[:LIST_SIZE])
    context = {
        "programme": programme,
        "access": access,
        "policy": policy,
        "rows": _described(conditions, programme),
        "form": form,
        "preview": preview,
        "kinds": rule_kinds(),
        "may_write": may_write_stop_conditions(access),
        "may_approve": may_approve(me, policy),
        "policy_form": _policy_form(policy, programme),
        "list_size": LIST_SIZE,
    }
    status = 400 if form.errors else 200
    return form_response(request, PAGE, context, status=status)


def _policy_form(policy: StopPolicy | None, programme: Programme, data: Any = None) -> PolicyForm:
    if policy is not None:
        initial = {
            "author": policy.author_id,
            "approvers": [p.pk for p in policy.approvers.all()],
            "revisit_on": policy.revisit_on,
        }
    else:
        sponsor = programme.executive_sponsor_id
        initial = {
            "author": programme.programme_owner_id,
            "approvers": [sponsor] if sponsor else [],
        }
    return PolicyForm(data, initial=initial)


@login_required
@require_POST
def stop_policy(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = get_programme_for_user(request.user, slug)
    require_may_write_stop_conditions(access)
    policy = selectors.programme_policy(programme)
    form = _policy_form(policy, programme, request.POST)
    if form.is_valid():
        try:
            save_policy(
                actor=request.user,
                programme=programme,
                access=access,
                author=form.cleaned_data["author"],
                approvers=list(form.cleaned_data["approvers"]),
                revisit_on=form.cleaned_data["revisit_on"],
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, "Stop policy saved.")
            return redirect_or_htmx_redirect(request, reverse("stop-conditions", args=[slug]))
    context = {"programme": programme, "access": access, "policy_form": form, "policy": policy}
    if request.htmx:
        return render(request, f"{PAGE}#policy_form", context, status=400)
    return render(request, "governance/stop_conditions/policy_form.html", context, status=400)


def _deciders(programme: Programme, policy: StopPolicy) -> list[Person]:
    people = {p.pk: p for p in policy.approvers.all()}
    if programme.executive_sponsor is not None:
        people.setdefault(programme.executive_sponsor.pk, programme.executive_sponsor)
    return list(people.values())


def _detail_context(
    request: HtmxHttpRequest, condition: StopCondition, access: Any, **forms_: Any
) -> dict[str, Any]:
    programme = condition.programme
    policy = condition.policy
    me = person_of(request.user)
    current = selectors.pending(condition) or selectors.in_force(condition)
    rule_context_now = rule_context(programme, timezone.localdate())
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "text": current.text,
            "consequence": current.consequence,
            "rule_kind": current.rule_kind,
            **{f"rule_{name}": value for name, value in current.rule.items()},
        }
    return {
        "programme": programme,
        "access": access,
        "policy": policy,
        "row": _described([condition], programme)[0],
        "trips": selectors.condition_trips(condition)[:LIST_SIZE],
        "decisions": selectors.condition_decisions(condition)[:LIST_SIZE],
        "versions": [
            (version, describe(version.rule_kind, version.rule, rule_context_now))
            for version in selectors.condition_versions(condition)[:LIST_SIZE]
        ],
        "list_size": LIST_SIZE,
        "may_write": may_write_stop_conditions(access),
        "may_approve": may_approve(me, policy),
        "may_decide": may_record_decisions(access),
        "i_may_decide": may_decide(me, programme, policy),
        "form": forms_.get("form") or ConditionForm(initial=initial, programme=programme),
        "decision_form": forms_.get("decision_form")
        or DecisionForm(deciders=_deciders(programme, policy)),
        "preview": forms_.get("preview"),
    }


@login_required
def stop_condition_detail(request: HtmxHttpRequest, slug: str, condition_id: int) -> HttpResponse:
    """One condition; POST writes a new version of it, or (``preview``) tries its rule."""
    condition, access = selectors.get_condition_for_user(request.user, condition_id, slug)
    form = None
    preview = None
    if request.method == "POST":
        require_may_write_stop_conditions(access)
        form = ConditionForm(request.POST, programme=condition.programme)

        def write(fields: dict[str, Any]) -> str:
            services.revise_condition(
                actor=request.user, condition=condition, access=access, **fields
            )
            return condition.get_absolute_url()

        written, preview = _post_condition(
            request,
            form,
            condition.programme,
            write,
            "New version written; the approved one stays in force until it is approved.",
        )
        if written is not None:
            return written
    context = _detail_context(request, condition, access, form=form, preview=preview)
    status = 400 if form is not None and form.errors else 200
    return form_response(request, DETAIL, context, status=status)


@login_required
@require_POST
def stop_condition_approve(request: HtmxHttpRequest, slug: str, condition_id: int) -> HttpResponse:
    condition, access = selectors.get_condition_for_user(request.user, condition_id, slug)
    perform(
        request,
        lambda: services.approve_condition(actor=request.user, condition=condition, access=access),
        "Approved: this version is in force and Keel evaluates it.",
    )
    return redirect_or_htmx_redirect(request, condition.get_absolute_url())


@login_required
@require_POST
def stop_condition_decide(request: HtmxHttpRequest, slug: str, condition_id: int) -> HttpResponse:
    condition, access = selectors.get_condition_for_user(request.user, condition_id, slug)
    require_may_record_decisions(access)
    form = DecisionForm(request.POST, deciders=_deciders(condition.programme, condition.policy))
    if form.is_valid():
        try:
            services.record_decision(
                actor=request.user, condition=condition, access=access, **form.cleaned_data
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect_or_htmx_redirect(request, condition.get_absolute_url())
    context = _detail_context(request, condition, access, decision_form=form)
    template = f"{DETAIL}#decision_form" if request.htmx else DETAIL
    return render(request, template, context, status=400)
