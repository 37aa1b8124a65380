"""On-call pages: a programme's rotations, a rotation's calendar and its forms, time off."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes import selectors as programme_selectors
from programmes.errors import DomainError
from programmes.pages import (
    HtmxHttpRequest,
    attach_domain_error,
    confirmation_page,
    form_response,
    perform,
    redirect_or_htmx_redirect,
    redirect_or_htmx_refresh,
)
from programmes.rules import local_time_to_utc
from programmes.selectors import person_of

from . import schedule, selectors, services
from .access import require_may_change_rotations, require_may_revoke_feed_token
from .calendar_days import calendar_days, clipped
from .calendar_feed import calendar_feed_url
from .forms import (
    CoverRequestForm,
    OverrideForm,
    RotationForm,
    TimeOffForm,
)
from .models import Rotation

CALENDAR_WEEKS = 4
MAX_CALENDAR_WEEKS = 26


@login_required
def programme_oncall(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, access = programme_selectors.get_programme_for_user(request.user, slug)
    rotations = list(selectors.programme_rotations(programme))
    context = {
        "programme": programme,
        "access": access,
        "answers": selectors.on_call_now(rotations, timezone.now()),
    }
    return render(request, "oncall/programme_oncall.html", context)


def _rotation(request: HtmxHttpRequest, rotation_id: int) -> tuple[Rotation, Any]:
    return selectors.get_rotation_for_user(request.user, rotation_id)


def _weeks(request: HtmxHttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("weeks", CALENDAR_WEEKS)), 1), MAX_CALENDAR_WEEKS)
    except ValueError:
        return CALENDAR_WEEKS


def _rotation_page(
    request: HtmxHttpRequest,
    rotation: Rotation,
    access: Any,
    *,
    status: int = 200,
    **replacing: Any,
) -> HttpResponse:
    """The rotation page; ``replacing`` puts a refused form (values kept) or a new calendar link
    in place of what the page shows by default."""
    weeks = _weeks(request)
    now = timezone.now()
    latest = selectors.versions_of(rotation)[-1]
    zone = latest.cadence.timezone
    first_day = now.astimezone(ZoneInfo(zone)).date()
    start = local_time_to_utc(first_day, dt.time(), zone)
    end = local_time_to_utc(first_day + dt.timedelta(weeks=weeks), dt.time(), zone)
    # Read a whole shift beyond each edge, so a stretch shown keeps its true start and end.
    wide = selectors.schedule_for(
        rotation, start - schedule.LONGEST_SHIFT, end + schedule.LONGEST_SHIFT
    )
    shown = clipped(wide.segments, start, end)
    me = person_of(request.user)
    context = {
        "rotation": rotation,
        "programme": rotation.programme,
        "access": access,
        "zone": zone,
        "version": latest,
        "members": [wide.people.get(pid) or pid for pid in latest.member_ids],
        "people": wide.people,
        "days": calendar_days(wide.segments, first_day, weeks * 7, zone),
        "gaps": schedule.gaps(shown),
        "hours": sorted(
            (
                (wide.people[pid], round(h, 1))
                for pid, h in schedule.hours_per_person(shown).items()
            ),
            key=lambda item: -item[1],
        ),
        "weeks": weeks,
        "today": first_day,
        "now_answer": selectors.on_call_now([rotation], now)[0],
        "overrides": selectors.rotation_overrides(rotation).filter(end__gt=now).order_by("start"),
        "cover_requests": selectors.open_cover_requests(rotation).filter(end__gt=now),
        "override_form": OverrideForm(),
        "cover_form": CoverRequestForm(),
        "feed_url": None,
        "me": me,
        "is_member": services.is_member(rotation, me),
        "feed_tokens": [
            (token, selectors.may_revoke_feed_token(request.user, token, access))
            for token in rotation.feed_tokens.filter(revoked_at__isnull=True).select_related(
                "created_by"
            )
        ],
        **replacing,
    }
    return render(request, "oncall/rotation_detail.html", context, status=status)


@login_required
def rotation_detail(request: HtmxHttpRequest, rotation_id: int) -> HttpResponse:
    rotation, access = _rotation(request, rotation_id)
    return _rotation_page(request, rotation, access)


@login_required
def rotation_form(
    request: HtmxHttpRequest, slug: str | None = None, rotation_id: int | None = None
) -> HttpResponse:
    rotation = None
    if rotation_id is not None:
        rotation, access = _rotation(request, rotation_id)
        programme = rotation.programme
    else:
        assert slug is not None
        programme, access = programme_selectors.get_programme_for_user(request.user, slug)
    require_may_change_rotations(access)
    initial: dict[str, Any] = {}
    members: list[int] = []
    if rotation is not None:
        latest = rotation.versions.order_by("effective_from").last()
        assert latest is not None
        members = list(latest.member_ids)
        initial = {
            "name": rotation.name,
            "level": rotation.level,
            "runbook_url": rotation.runbook_url,
            "timezone": latest.timezone,
            "shift_kind": latest.shift_kind,
            "shift_hours": latest.shift_hours,
            "handoff_time": latest.handoff_time,
            "handoff_weekday": latest.handoff_weekday,
            "start": schedule.anchor_day(selectors.versions_of(rotation)[0]),
        }
    form = RotationForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["timezone_name"] = fields.pop("timezone")
        try:
            if rotation is None:
                rotation = services.create_rotation(
                    actor=request.user, programme=programme, access=access, **fields
                )
                messages.success(request, f"{rotation.name} has been created.")
            else:
                started = selectors.versions_of(rotation)[0].effective_from <= timezone.now()
                if started:
                    fields.pop("start")
                services.update_rotation(
                    actor=request.user, rotation=rotation, access=access, **fields
                )
                messages.success(
                    request, "Saved. Schedule changes take effect at the next handoff."
                )
        except DomainError as error:
            if error.field == "member_ids":
                form.add_error("member_1", error.message)
            else:
                attach_domain_error(form, error)
        else:
            return redirect_or_htmx_redirect(request, rotation.get_absolute_url())
    status = 400 if form.errors else 200
    context = {"form": form, "programme": programme, "rotation": rotation}
    return form_response(request, "oncall/rotation_form.html", context, status=status)


def _window_post(
    request: HtmxHttpRequest,
    rotation_id: int,
    form_class: Any,
    slot: str,
    action: Any,
    success: str,
    *,
    editors_only: bool = False,
) -> HttpResponse:
    """A period form of the rotation page. Refused, it comes back with its values and the error
    beside the field: alone to htmx, within the whole page otherwise."""
    rotation, access = _rotation(request, rotation_id)
    if editors_only:
        require_may_change_rotations(access)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(rotation, access, form.cleaned_data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect_or_htmx_redirect(request, rotation.get_absolute_url())
    if request.htmx:
        context = {"rotation": rotation, "access": access, slot: form}
        return render(request, f"oncall/rotation_detail.html#{slot}", context, status=400)
    return _rotation_page(request, rotation, access, status=400, **{slot: form})


@login_required
@require_POST
def override_create(request: HtmxHttpRequest, rotation_id: int) -> HttpResponse:
    def create(rotation: Rotation, access: Any, data: dict[str, Any]) -> None:
        services.create_override(actor=request.user, rotation=rotation, access=access, **data)

    return _window_post(
        request,
        rotation_id,
        OverrideForm,
        "override_form",
        create,
        "Override added.",
        editors_only=True,
    )


@login_required
@require_POST
def override_delete(request: HtmxHttpRequest, rotation_id: int, override_id: int) -> HttpResponse:
    rotation, access = _rotation(request, rotation_id)
    override = get_object_or_404(selectors.rotation_overrides(rotation), pk=override_id)
    perform(
        request,
        lambda: services.delete_override(actor=request.user, override=override, access=access),
        "Override removed.",
    )
    return redirect_or_htmx_redirect(request, rotation.get_absolute_url())


@login_required
@require_POST
def cover_request_create(request: HtmxHttpRequest, rotation_id: int) -> HttpResponse:
    me = person_of(request.user)

    def ask(rotation: Rotation, access: Any, data: dict[str, Any]) -> None:
        if me is None:
            raise DomainError("Your account is not linked to a person in the directory.")
        services.request_cover(
            actor=request.user, rotation=rotation, access=access, requester=me, **data
        )

    return _window_post(
        request,
        rotation_id,
        CoverRequestForm,
        "cover_form",
        ask,
        "Cover requested: the other members have been asked.",
    )


@login_required
@require_POST
def cover_request_accept(request: HtmxHttpRequest, rotation_id: int, cover_id: int) -> HttpResponse:
    rotation, _ = _rotation(request, rotation_id)
    cover = get_object_or_404(selectors.rotation_cover_requests(rotation), pk=cover_id)
    perform(
        request,
        lambda: services.accept_cover(
            actor=request.user, cover=cover, person=person_of(request.user)
        ),
        "You are covering it; it is now your override.",
    )
    return redirect_or_htmx_redirect(request, rotation.get_absolute_url())


@login_required
@require_POST
def feed_create(request: HtmxHttpRequest, rotation_id: int) -> HttpResponse:
    """A new calendar link, shown once: alone to htmx, within the whole page otherwise."""
    rotation, access = _rotation(request, rotation_id)
    _, key = services.issue_feed_token(actor=request.user, rotation=rotation)
    url = calendar_feed_url("rotation-calendar", rotation.pk, key)
    if request.htmx:
        return render(request, "oncall/rotation_detail.html#feed_link", {"url": url})
    return _rotation_page(request, rotation, access, feed_url=url)


@login_required
def feed_revoke(request: HtmxHttpRequest, rotation_id: int, token_id: int) -> HttpResponse:
    """GET asks first (the page without JavaScript); POST revokes the calendar link."""
    rotation, access = _rotation(request, rotation_id)
    token = get_object_or_404(rotation.feed_tokens.filter(revoked_at__isnull=True), pk=token_id)
    back = rotation.get_absolute_url() + "#calendar-feed"
    if request.method != "POST":
        require_may_revoke_feed_token(request.user, token, access)
        return confirmation_page(
            request,
            question=f"Revoke the calendar link ending …{token.hint}?",
            consequence="Calendars subscribed to it stop getting this rotation's shifts. This "
            "cannot be undone; a new link can be created.",
            confirm="Revoke the link",
            cancel_url=back,
        )
    perform(
        request,
        lambda: services.revoke_feed_token(actor=request.user, token=token, access=access),
        "Calendar link revoked: its address no longer answers.",
    )
    return redirect_or_htmx_refresh(request, back)


@login_required
def time_off(request: HtmxHttpRequest) -> HttpResponse:
    """Your periods away; recording one asks your rotations for cover."""
    me = person_of(request.user)
    form = TimeOffForm(request.POST or None)
    if request.method == "POST":
        if me is None:
            messages.error(request, "Your account is not linked to a person in the directory.")
        elif form.is_valid():
            try:
                services.record_time_off(actor=request.user, person=me, **form.cleaned_data)
            except DomainError as error:
                attach_domain_error(form, error)
            else:
                messages.success(
                    request, "Time off recorded; your rotations have been asked to cover you."
                )
                return redirect_or_htmx_redirect(request, reverse("time-off"))
    status = 400 if form.errors else 200
    periods = me.time_off.filter(end__gt=timezone.now()) if me else []
    return render(
        request, "oncall/time_off.html", {"form": form, "periods": periods, "me": me}, status=status
    )
