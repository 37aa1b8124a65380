"""Notifications: the inbox, marking read, preferences, and a programme's notification log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import notifications, selectors
from ..forms import (
    NotificationPreferencesForm,
)
from ..models import Channel, NotificationStatus
from ..pages import (
    HtmxHttpRequest,
)
from ..registry.notification_kinds import kind_choices, kind_keys

INBOX_PAGE_SIZE = 30
NOTIFICATION_LOG_PAGE_SIZE = 50


@login_required
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    has_person = selectors.person_of(request.user) is not None
    return render(request, "programmes/inbox.html", {"page": page, "has_person": has_person})


@login_required
@require_POST
def inbox_mark_read(request: HtmxHttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(selectors.inbox(request.user), pk=notification_id)
    notifications.mark_read(person=notification.recipient, notification_ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db()
        context = {
            "notification": notification,
            "unread_notifications": selectors.unread_count(request.user),
        }
        return render(request, "programmes/inbox.html#notification", context)
    return redirect("inbox")


@login_required
@require_POST
def inbox_mark_all_read(request: HtmxHttpRequest) -> HttpResponse:
    person = selectors.person_of(request.user)
    if person is not None:
        count = notifications.mark_read(person=person)
        messages.success(request, f"{count} notification(s) marked read.")
    return redirect("inbox")


@login_required
def notification_preferences(request: HtmxHttpRequest) -> HttpResponse:
    person = selectors.person_of(request.user)
    if person is None:
        messages.error(request, "Your account is not linked to a person in the directory yet.")
        return redirect("inbox")
    form = NotificationPreferencesForm(
        request.POST or None, switched_off=notifications.switched_off(person)
    )
    if request.method == "POST" and form.is_valid():
        notifications.set_preferences(person=person, choices=form.choices())
        messages.success(request, "Notification preferences saved.")
        return redirect("notification-preferences")
    return render(request, "programmes/notification_preferences.html", {"form": form})


@login_required
def programme_notifications(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme, _ = selectors.get_programme_for_user(request.user, slug)
    log = selectors.visible_notifications(request.user).filter(programme=programme)
    filters = {
        "kind": (request.GET.get("kind", ""), kind_keys()),
        "status": (request.GET.get("status", ""), NotificationStatus.values),
        "channel": (request.GET.get("channel", ""), Channel.values),
    }
    for field, (value, allowed) in filters.items():
        if value in allowed:
            log = log.filter(**{field: value})
    page = Paginator(log, NOTIFICATION_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "programme": programme,
        "page": page,
        "kinds": kind_choices(),
        "statuses": NotificationStatus.choices,
        "channels": Channel.choices,
        "current": {field: value for field, (value, _) in filters.items()},
    }
    return render(request, "programmes/programme_notifications.html", context)
