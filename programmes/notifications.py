"""The notification outbox: rows written in the caller's transaction (``programmes.outbox``,
whose ``notify`` is re-exported here), delivered by Celery after commit, each occurrence at most
once per person and channel."""

import logging
import random
import smtplib
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import (
    Channel,
    DeliveryAttempt,
    Membership,
    Notification,
    NotificationPreference,
    NotificationStatus,
    Person,
    Role,
)
from .notification_kinds import DELIVERY_FAILED
from .outbox import enqueue_deliveries, enqueue_delivery, notify, wanted_channels
from .rules import one_line, retry_delay
from .webhooks import SendResult, post_to_webhook

log = logging.getLogger(__name__)

__all__ = ["enqueue_delivery", "notify", "wanted_channels"]


def _absolute(link: str) -> str:
    return f"{settings.KEEL_BASE_URL}{link}" if link.startswith("/") else link


def _send_email(row: Notification) -> SendResult:
    text = row.body + (f"\n\n{_absolute(row.link)}" if row.link else "")
    subject = one_line(row.subject, limit=200)
    message = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [row.recipient.email])
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        return SendResult(ok=False, detail=f"The mail server refused the address: {error}")
    except ValueError as error:  # BadHeaderError, or an address that cannot be written
        return SendResult(ok=False, detail=f"The email cannot be written: {error}")
    except (smtplib.SMTPException, OSError) as error:
        return SendResult(ok=False, retryable=True, detail=f"Could not send the email: {error}")
    return SendResult(ok=True, detail=f"Handed to the mail server for {row.recipient.email}.")


def _send_slack(row: Notification) -> SendResult:
    programme = row.programme
    if programme is None or not programme.slack_webhook_url:
        return SendResult(ok=False, detail="The programme has no Slack webhook any more.")
    mention = f"<@{row.recipient.slack_member_id}> " if row.recipient.slack_member_id else ""
    link = f"\n<{_absolute(row.link)}|Open in Keel>" if row.link else ""
    text = f"{mention}*{row.subject}*\n{row.body}{link}"
    return post_to_webhook(programme.slack_webhook_url, {"text": text})


_SENDERS = {Channel.EMAIL: _send_email, Channel.SLACK: _send_slack}


def deliver(notification_id: int) -> float | None:
    """Try once to deliver a queued notification.

    Returns the seconds to wait before the next try, or None when nothing is left to do: sent,
    failed for good, dead after the last attempt, or not queued at all (a row already sent is
    never sent again). The row stays locked while it is sent, so two workers never send it twice.
    """
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "programme")
            .filter(pk=notification_id, status=NotificationStatus.QUEUED)
            .exclude(channel=Channel.IN_APP)
            .first()
        )
        if row is None:
            return None
        result = _attempt(row)
        row.attempts += 1
        DeliveryAttempt.objects.create(
            notification=row,
            number=row.attempts,
            succeeded=result.ok,
            status_code=result.status_code,
            detail=result.detail,
        )
        now = timezone.now()
        wait = None
        if result.ok:
            row.status, row.sent_at, row.last_error = NotificationStatus.SENT, now, ""
        elif result.retryable and row.attempts < settings.KEEL_NOTIFICATION_MAX_ATTEMPTS:
            wait = _next_wait(row.attempts, result)
            row.next_attempt_at = now + timedelta(seconds=wait)
            row.last_error = result.detail
        elif result.retryable:
            row.status = NotificationStatus.DEAD
            row.last_error = f"Gave up after {row.attempts} attempts. Last: {result.detail}"
        else:
            row.status, row.last_error = NotificationStatus.FAILED, result.detail
        row.save(update_fields=["status", "sent_at", "last_error", "attempts", "next_attempt_at"])
        if row.status in (NotificationStatus.FAILED, NotificationStatus.DEAD):
            _tell_owners_of_failure(row)
    log.log(
        logging.ERROR
        if row.status in (NotificationStatus.FAILED, NotificationStatus.DEAD)
        else logging.INFO,
        "notification delivery attempt",
        extra={
            "notification": notification_id,
            "status": row.status,
            "attempt": row.attempts,
            "error": row.last_error,
        },
    )
    return wait


def retry_later(notification_id: int, wait: float) -> None:
    """Hand a row whose try failed back to Celery on its own task, ``wait`` seconds on. A broker
    that cannot take it is logged: the row is queued with its next attempt's time, and the stall
    sweep hands it over."""
    from .tasks import deliver_notification

    try:
        deliver_notification.apply_async((notification_id,), countdown=wait)
    except Exception as error:  # any broker or transport failure: the row waits in the database
        log.warning(
            "broker unavailable; notification left for the stall sweep",
            extra={"notification": notification_id, "error": f"{type(error).__name__}: {error}"},
        )


def _attempt(row: Notification) -> SendResult:
    """One try with the channel's sender. An error nobody foresaw is a retryable failure with
    its message, so the row ends ``dead`` with a reason rather than queued for ever."""
    try:
        return _SENDERS[Channel(row.channel)](row)
    except Exception as error:
        log.exception("notification sender failed", extra={"notification": row.pk})
        return SendResult(
            ok=False, retryable=True, detail=f"Unexpected error: {type(error).__name__}: {error}"
        )


def _tell_owners_of_failure(row: Notification) -> None:
    """Tell the programme's owners, on other channels, that ``row`` will never arrive."""
    programme = row.programme
    if programme is None or row.kind == DELIVERY_FAILED:
        # Nobody owns a programme-less message, and a failed warning must not warn again:
        # the error log line and the notification metrics carry it.
        return
    owner_users = Membership.objects.filter(programme=programme, role=Role.OWNER).values("user")
    owners = Person.objects.filter(Q(user__in=owner_users) | Q(pk=programme.programme_owner_id))
    link = reverse("programme-notifications", kwargs={"slug": programme.slug})
    for owner in owners:
        notify(
            recipient=owner,
            programme=programme,
            kind=DELIVERY_FAILED,
            occurrence=f"delivery-failed:{row.pk}",
            subject=f"Not delivered: {row.subject}",
            body=(
                f"Keel could not deliver “{row.kind_label}” to {row.recipient.name} "
                f"by {row.get_channel_display().lower()}: {row.last_error} "
                "Check their details in the people directory; the notification log has each try."
            ),
            link=f"{link}?status={row.status}",
            avoid_channel=row.channel,
        )


def _next_wait(attempt: int, result: SendResult) -> float:
    cap = settings.KEEL_NOTIFICATION_RETRY_CAP_SECONDS
    wait = retry_delay(
        attempt,
        base=settings.KEEL_NOTIFICATION_RETRY_BASE_SECONDS,
        cap=cap,
        jitter=random.random(),
    )
    # A Retry-After from the receiver is honoured, but never past the cap.
    return min(cap, max(wait, result.retry_after_seconds or 0))


def requeue_stalled(now: datetime) -> int:
    """Hand Celery again every queued delivery that is overdue by the stall time: its task was
    lost (broker down at commit, worker killed). Rows being sent right now are locked and skipped.
    """
    stalled_before = now - timedelta(seconds=settings.KEEL_NOTIFICATION_STALL_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=NotificationStatus.QUEUED, next_attempt_at__lte=stalled_before)
            .exclude(channel=Channel.IN_APP)
            .values_list("pk", flat=True)[:500]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(next_attempt_at=now)
            transaction.on_commit(partial(enqueue_deliveries, ids))
    return len(ids)


@transaction.atomic
def mark_read(*, person: Person, notification_ids: list[int] | None = None) -> int:
    """Mark the person's in-app notifications read: the ones given, or all of them."""
    unread = Notification.objects.filter(
        recipient=person, channel=Channel.IN_APP, read_at__isnull=True
    )
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def set_preferences(*, person: Person, choices: dict[tuple[str, str], bool]) -> None:
    """Record which (kind, channel) pairs ``person`` wants."""
    for (kind, channel), enabled in choices.items():
        NotificationPreference.objects.update_or_create(
            person=person, kind=kind, channel=channel, defaults={"enabled": enabled}
        )


def switched_off(person: Person) -> set[tuple[str, str]]:
    """The (kind, channel) pairs ``person`` has turned off."""
    return set(
        NotificationPreference.objects.filter(person=person, enabled=False).values_list(
            "kind", "channel"
        )
    )
