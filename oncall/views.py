"""On-call pages: a programme's rotations, a rotation's calendar, the handoff page, the forms."""

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes import selectors as programme_selectors
from programmes.errors import DomainError
from programmes.selectors import person_of
from programmes.views import (
    HtmxHttpRequest,
    attach_domain_error,
    confirmation_page,
    form_response,
    perform,
    redirect_or_htmx_redirect,
    redirect_or_htmx_refresh,
    report_form_errors,
)

from . import schedule, selectors, services
from .calendar_feed import calendar_feed_url
from .forms import (
    CoverRequestForm,
    HandoffNotesForm,
    OverrideForm,
    RotationForm,
    TimeOffForm,
)
from .models import Handoff, Rotation

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


def _calendar_days(
    found: selectors.RotationSchedule, zone: str
) -> list[tuple[dt.date, list[schedule.Segment]]]:
    """The window's days in ``zone``, each with the segments that touch it."""
    tz = ZoneInfo(zone)
    by_day: dict[dt.date, list[schedule.Segment]] = defaultdict(list)
    for segment in found.segments:
        day = segment.start.astimezone(tz).date()
        last = (segment.end - dt.timedelta(microseconds=1)).astimezone(tz).date()
        while day <= last:
            by_day[day].append(segment)
            day += dt.timedelta(days=1)
    first = found.start.astimezone(tz).date()
    count = (found.end - found.start).days
    return [
        (first + dt.timedelta(days=n), by_day.get(first + dt.timedelta(days=n), []))
        for n in range(count)
    ]


@login_required
def rotation_detail(request: HtmxHttpRequest, rotation_id: int) -> HttpResponse:
    rotation, access = _rotation(request, rotation_id)
    try:
        weeks = min(max(int(request.GET.get("weeks", CALENDAR_WEEKS)), 1), MAX_CALENDAR_WEEKS)
    except ValueError:
        weeks = CALENDAR_WEEKS
    now = timezone.now()
    latest = selectors.versions_of(rotation)[-1]
    zone = latest.cadence.timezone
    start = dt.datetime.combine(now.astimezone(ZoneInfo(zone)).date(), dt.time(), ZoneInfo(zone))
    found = selectors.schedule_for(rotation, start, start + dt.timedelta(weeks=weeks))
    me = person_of(request.user)
    context = {
        "rotation": rotation,
        "programme": rotation.programme,
        "access": access,
        "zone": zone,
        "version": latest,
        "members": [found.people.get(pid) or pid for pid in latest.member_ids],
        "people": found.people,
        "days": _calendar_days(found, zone),
        "gaps": found.gaps,
        "hours": sorted(
            ((found.people[pid], round(h, 1)) for pid, h in found.hours.items()),
            key=lambda item: -item[1],
        ),
        "weeks": weeks,
        "now_answer": selectors.on_call_now([rotation], now)[0],
        "overrides": selectors.rotation_overrides(rotation).filter(end__gt=now).order_by("start"),
        "cover_requests": selectors.open_cover_requests(rotation).filter(end__gt=now),
        "override_form": OverrideForm(),
        "cover_form": CoverRequestForm(),
        "me": me,
        "is_member": me is not None and me.pk in latest.member_ids,
        "feed_tokens": [
            (token, selectors.may_revoke_feed_token(request.user, token, access))
            for token in rotation.feed_tokens.filter(revoked_at__isnull=True).select_related(
                "created_by"
            )
        ],
    }
    return render(request, "oncall/rotation_detail.html", context)


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
    if not access.can_edit:
        raise PermissionDenied("Only the programme's editors and owners can change its rotations.")
    initial: dict[str, Any] = {}
    members: list[int] = []
    if rotation is not None:
        row = selectors.current_version_row(rotation, timezone.now())
        latest = rotation.versions.order_by("effective_from").last()
        assert row is not None
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
            "start": selectors.versions_of(rotation)[0]
            .anchor.astimezone(ZoneInfo(row.timezone))
            .date(),
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
    action: Any,
    success: str,
    *,
    editors_only: bool = False,
) -> HttpResponse:
    rotation, access = _rotation(request, rotation_id)
    if editors_only and not access.can_edit:
        raise PermissionDenied("Only the programme's editors and owners can change its rotations.")
    form = form_class(request.POST)
    if form.is_valid():
        perform(request, lambda: action(rotation, access, form.cleaned_data), success)
    else:
        report_form_errors(request, form)
    return redirect_or_htmx_redirect(request, rotation.get_absolute_url())


@login_required
@require_POST
def override_create(request: HtmxHttpRequest, rotation_id: int) -> HttpResponse:
    def create(rotation: Rotation, access: Any, data: dict[str, Any]) -> None:
        services.create_override(actor=request.user, rotation=rotation, access=access, **data)

    return _window_post(
        request, rotation_id, OverrideForm, create, "Override added.", editors_only=True
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
    rotation, _ = _rotation(request, rotation_id)
    _, key = services.issue_feed_token(actor=request.user, rotation=rotation)
    url = calendar_feed_url("rotation-calendar", rotation.pk, key)
    return render(request, "oncall/_feed_link.html", {"url": url})


@login_required
def feed_revoke(request: HtmxHttpRequest, rotation_id: int, token_id: int) -> HttpResponse:
    """GET asks first (the page without JavaScript); POST revokes the calendar link."""
    rotation, access = _rotation(request, rotation_id)
    token = get_object_or_404(rotation.feed_tokens.filter(revoked_at__isnull=True), pk=token_id)
    back = rotation.get_absolute_url() + "#calendar-feed"
    if request.method != "POST":
        if not selectors.may_revoke_feed_token(request.user, token, access):
            raise PermissionDenied("Only whoever made the link, or an editor, can revoke it.")
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
def handoff_page(request: HtmxHttpRequest, rotation_id: int) -> HttpResponse:
    """The handoff page: on call now and next, the outgoing notes, acknowledge."""
    rotation, access = _rotation(request, rotation_id)
    now = timezone.now()
    answer = selectors.on_call_now([rotation], now)[0]
    services.ensure_handoffs(rotation, now - dt.timedelta(days=15), now + dt.timedelta(hours=1))
    handoffs = list(
        selectors.rotation_handoffs(rotation)
        .filter(starts_at__lte=now + dt.timedelta(hours=1))
        .order_by("-starts_at")[:2]
    )
    current = handoffs[0] if handoffs else None
    previous = handoffs[1] if len(handoffs) > 1 else None
    me = person_of(request.user)
    # Read at a handoff, the outgoing shift is the one that just ended; read before it, the one
    # still running. Showing from the start of the previous shift until now covers both.
    shift_end = now
    latest = current.starts_at if current else now
    shift_start = previous.starts_at if previous else latest - dt.timedelta(days=1)
    context = {
        "rotation": rotation,
        "programme": rotation.programme,
        "access": access,
        "answer": answer,
        "shift_incidents": selectors.shift_incidents(rotation.programme, shift_start, shift_end),
        "shift_start": shift_start,
        "shift_end": shift_end,
        "runbooks": rotation.programme.runbooks.all(),
        "handoff": current,
        "previous_handoff": previous,
        "zone": selectors.versions_of(rotation)[-1].cadence.timezone,
        "notes_form": HandoffNotesForm(initial={"notes": current.notes if current else ""}),
        "me": me,
        "can_acknowledge": current is not None
        and current.acknowledged_at is None
        and (access.can_edit or (me is not None and me.pk == current.incoming_id)),
        "can_write_notes": current is not None
        and (access.can_edit or (me is not None and me in (current.outgoing, current.incoming))),
        "cover_requests": selectors.open_cover_requests(rotation).filter(end__gt=now)[:10],
    }
    return render(request, "oncall/handoff.html", context)


def _handoff(request: HtmxHttpRequest, rotation_id: int, handoff_id: int) -> tuple[Handoff, Any]:
    rotation, access = _rotation(request, rotation_id)
    return get_object_or_404(selectors.rotation_handoffs(rotation), pk=handoff_id), access


@login_required
@require_POST
def handoff_notes(request: HtmxHttpRequest, rotation_id: int, handoff_id: int) -> HttpResponse:
    handoff, access = _handoff(request, rotation_id, handoff_id)
    form = HandoffNotesForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.save_handoff_notes(
                actor=request.user, handoff=handoff, access=access, notes=form.cleaned_data["notes"]
            ),
            "Notes saved.",
        )
    else:
        report_form_errors(request, form)
    return redirect_or_htmx_redirect(request, reverse("handoff", args=[rotation_id]))


@login_required
@require_POST
def handoff_acknowledge(
    request: HtmxHttpRequest, rotation_id: int, handoff_id: int
) -> HttpResponse:
    handoff, access = _handoff(request, rotation_id, handoff_id)
    perform(
        request,
        lambda: services.acknowledge_handoff(actor=request.user, handoff=handoff, access=access),
        "Acknowledged: you have it.",
    )
    return redirect_or_htmx_redirect(request, reverse("handoff", args=[rotation_id]))


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
