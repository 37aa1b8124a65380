"""Writing the notification outbox: one row per occurrence, person and channel, written in the
caller's transaction and handed to Celery after commit.

``notify_many`` writes any number of messages with one preferences query and one
``INSERT … ON CONFLICT (dedupe_key) DO NOTHING`` per batch, so a row already written for an
occurrence stays as it is and two processes writing the same occurrence write one set.
``notify`` is the same rule for one message. A scheduled job finds what is due with
``unwritten`` (an anti-join on the in-app row, in the query that finds the candidates) or, for
candidates it already holds, ``written`` (one query), so an occurrence written long ago costs
nothing on the next tick.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from django.db import connection, transaction
from django.db.models import CharField, Exists, Expression, F, Model, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .any_of import AnyOf
from .bulk import json_rows, json_source
from .models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationStatus,
    Person,
    Programme,
)
from .registry.notification_kinds import may_go_to_programme_channel
from .rules import one_line

log = logging.getLogger(__name__)

# Rows per INSERT: 15 columns each keeps a statement well under SQLite's and PostgreSQL's limits
# on parameters.
INSERT_BATCH = 1000
# Deliveries per Celery task. A task tries its rows one after another, so a batch whose every
# row waits for its timeout (10 s for SMTP, 5 s for a webhook) still ends well inside the
# broker's visibility timeout (an hour by default).
DELIVERY_BATCH = 50
SUBJECT_LIMIT = 200
# Every column of a notification but its id, as the INSERT writes them.
INSERTED_FIELDS = (
    "recipient",
    "programme",
    "channel",
    "kind",
    "dedupe_key",
    "subject",
    "body",
    "link",
    "status",
    "attempts",
    "last_error",
    "next_attempt_at",
    "created_at",
    "sent_at",
    "read_at",
)

_COLUMNS = [getattr(Notification, name).field.column for name in INSERTED_FIELDS]

Rows = TypeVar("Rows", bound=Model)


@dataclass(frozen=True)
class Message:
    """What to tell one person about one occurrence (``regression-work:claims:2026-11``)."""

    recipient: Person
    kind: str
    occurrence: str
    subject: str
    body: str
    link: str = ""
    programme: Programme | None = None
    # A channel this message must not go by (a failed delivery is not reported on its channel).
    avoid_channel: str = ""


def dedupe_key(occurrence: str, recipient_id: int, channel: str) -> str:
    """The row's unique name: the occurrence, the person and the channel."""
    return f"{occurrence}:{recipient_id}:{channel}"


def _switched_off(messages: Sequence[Message]) -> set[tuple[int, str, str]]:
    """(person, kind, channel) turned off, for every recipient and kind of ``messages``."""
    people = {message.recipient.pk for message in messages}
    kinds = {message.kind for message in messages}
    return set(
        NotificationPreference.objects.filter(
            person_id__in=people, kind__in=kinds, enabled=False
        ).values_list("person_id", "kind", "channel")
    )


_IN_APP, _EMAIL, _SLACK = Channel.IN_APP.value, Channel.EMAIL.value, Channel.SLACK.value
_SENT, _QUEUED = NotificationStatus.SENT.value, NotificationStatus.QUEUED.value


def _channels(message: Message, switched_off: set[tuple[int, str, str]]) -> list[str]:
    """In-app always, email and Slack unless switched off (Slack only where the programme has a
    webhook and the kind may go there), never ``avoid_channel``."""
    person, kind = message.recipient, message.kind
    # Each value read once: this runs for every message of a tick that writes tens of thousands.
    person_id = person.pk
    channels = [_IN_APP]
    if person.email and (person_id, kind, _EMAIL) not in switched_off:
        channels.append(_EMAIL)
    programme = message.programme
    if (
        programme is not None
        and programme.slack_webhook_url
        and may_go_to_programme_channel(kind)
        and (person_id, kind, _SLACK) not in switched_off
    ):
        channels.append(_SLACK)
    avoid = message.avoid_channel
    return [channel for channel in channels if channel != avoid] if avoid else channels


def wanted_channels(
    *, recipient: Person, kind: str, programme: Programme | None, avoid: str = ""
) -> list[str]:
    """The channels ``recipient`` hears ``kind`` on (the preferences and programme decide)."""
    message = Message(
        recipient=recipient,
        kind=kind,
        occurrence="",
        subject="",
        body="",
        programme=programme,
        avoid_channel=avoid,
    )
    return _channels(message, _switched_off([message]))


class _Row(NamedTuple):
    """One row to insert: its column values (``INSERTED_FIELDS`` order), its people and its
    channel (a tuple: a tick may build tens of thousands)."""

    values: tuple[Any, ...]
    recipient: Person
    programme: Programme | None
    channel: str


def _rows(messages: Sequence[Message], now: datetime) -> dict[str, _Row]:
    switched_off = _switched_off(messages)
    rows: dict[str, _Row] = {}
    for message in messages:
        recipient, programme = message.recipient, message.programme
        recipient_id = recipient.pk
        programme_id = programme.pk if programme is not None else None
        subject = one_line(message.subject, limit=SUBJECT_LIMIT)
        for channel in _channels(message, switched_off):
            delivered_on_write = channel == _IN_APP
            key = dedupe_key(message.occurrence, recipient_id, channel)
            values = (
                recipient_id,
                programme_id,
                channel,
                message.kind,
                key,
                subject,
                message.body,
                message.link,
                _SENT if delivered_on_write else _QUEUED,
                0,
                "",
                now,
                now,
                now if delivered_on_write else None,
                None,
            )
            rows.setdefault(key, _Row(values, recipient, programme, channel))
    return rows


def _insert_sql(batch: int) -> str:
    """The INSERT of ``batch`` rows, leaving any whose dedupe key is taken and returning the
    ids of those it wrote. PostgreSQL takes the batch as one JSON parameter (``bulk.json_source``);
    SQLite (3.35+) a VALUES list."""
    fields = [getattr(Notification, name).field for name in INSERTED_FIELDS]
    table = connection.ops.quote_name(Notification.objects.none().query.get_meta().db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    conflict = connection.ops.quote_name(Notification.dedupe_key.field.column)
    if connection.vendor == "postgresql":
        rows = json_source(table, [connection.ops.quote_name(field.column) for field in fields])
    else:
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        rows = "VALUES " + ", ".join([one] * batch)
    return (
        f"INSERT INTO {table} ({columns}) {rows} "
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING id, dedupe_key"
    )


def _insert(rows: dict[str, _Row]) -> dict[str, int]:
    """INSERT the rows, leaving any whose dedupe key is taken; returns the id of each one
    inserted, by its dedupe key."""
    keys = list(rows)
    inserted: dict[str, int] = {}
    for start in range(0, len(keys), INSERT_BATCH):
        batch = keys[start : start + INSERT_BATCH]
        if connection.vendor == "postgresql":
            params: list[Any] = [json_rows(_COLUMNS, [rows[k].values for k in batch])]
        else:
            params = [value for key in batch for value in rows[key].values]
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(len(batch)), params)
            inserted.update((key, pk) for pk, key in cursor.fetchall())
    return inserted


def _inserted_rows(rows: dict[str, _Row], ids: dict[str, int]) -> list[Notification]:
    """The rows inserted, as notifications with their ids, in the order they were given."""
    # Each row built as a read one is (positional values in the model's column order): much
    # cheaper than keyword arguments for the thousands a tick may write.
    attnames = ["id", *(getattr(Notification, name).field.attname for name in INSERTED_FIELDS)]
    meta = Notification.objects.none().query.get_meta()
    order = [attnames.index(field.attname) for field in meta.concrete_fields]
    names = [attnames[i] for i in order]
    inserted: list[Notification] = []
    for key, row in rows.items():
        if key in ids:
            values = (ids[key], *row.values)
            notification = Notification.from_db(connection.alias, names, [values[i] for i in order])
            notification.recipient = row.recipient
            notification.programme = row.programme
            inserted.append(notification)
    return inserted


def _write(messages: Sequence[Message]) -> tuple[dict[str, _Row], dict[str, int]]:
    """Insert the messages' rows, in the caller's transaction, with the queued ones handed to
    Celery once it commits: the rows, and the ids of those inserted by dedupe key."""
    with transaction.atomic():
        rows = _rows(messages, timezone.now())
        ids = _insert(rows)
        to_deliver = [pk for key, pk in ids.items() if rows[key].channel != Channel.IN_APP]
        if to_deliver:
            transaction.on_commit(lambda: enqueue_deliveries(to_deliver))
    return rows, ids


def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """Write the rows that tell each recipient about each occurrence, one per wanted channel.

    Rows already written for an occurrence (by an earlier tick, or another process now) are
    left as they are. Returns the rows this call created; the queued ones go to Celery once the
    caller's transaction commits. Subjects become one line: a line break in an email header
    would make it unsendable.
    """
    messages = list(messages)
    if not messages:
        return []
    return _inserted_rows(*_write(messages))


def notify_all(messages: Iterable[Message]) -> int:
    """``notify_many`` for a scheduled job, which needs only how many rows it wrote: the same
    rows, written and handed over the same way, without a model instance built for each."""
    messages = list(messages)
    if not messages:
        return 0
    return len(_write(messages)[1])


def notify(
    *,
    recipient: Person,
    kind: str,
    occurrence: str,
    subject: str,
    body: str,
    link: str = "",
    programme: Programme | None = None,
    avoid_channel: str = "",
) -> list[Notification]:
    """``notify_many`` for one message: the rows that tell ``recipient`` about ``occurrence``."""
    return notify_many(
        [
            Message(
                recipient=recipient,
                kind=kind,
                occurrence=occurrence,
                subject=subject,
                body=body,
                link=link,
                programme=programme,
                avoid_channel=avoid_channel,
            )
        ]
    )


def enqueue_delivery(notification_id: int) -> None:
    """``enqueue_deliveries`` for one row."""
    enqueue_deliveries([notification_id])


def enqueue_deliveries(notification_ids: Iterable[int]) -> None:
    """Hand queued rows to Celery, ``DELIVERY_BATCH`` to a task: one message per row made a
    tick that writes thousands spend most of its time talking to the broker. A broker that
    cannot take a batch is logged, never raised: the change that wrote the rows has committed,
    and the stall sweep hands them over later. The batches after a refused one are left to the
    sweep as well, rather than each waiting for the broker to refuse again."""
    from .tasks import deliver_notifications

    ids = list(notification_ids)
    for start in range(0, len(ids), DELIVERY_BATCH):
        try:
            deliver_notifications.delay(ids[start : start + DELIVERY_BATCH])
        except Exception as error:  # any broker or transport failure: the rows wait in the database
            log.warning(
                "broker unavailable; notification left for the stall sweep",
                extra={
                    "notifications": ids[start:],
                    "error": f"{type(error).__name__}: {error}",
                },
            )
            return


# Skipping what is written -----------------------------------------------------------------------


def occurrence_key(*parts: str | Expression | F) -> Concat:
    """An occurrence as a database expression: plain strings are literal text, ``F("slug")``
    and other expressions are read from each row (``occurrence_key("regression-work:",
    F("slug"), ":2026-11")``)."""
    pieces = [
        Value(part) if isinstance(part, str) else Cast(part, output_field=CharField())
        for part in parts
    ]
    return Concat(*pieces, output_field=CharField())


def unwritten(
    queryset: QuerySet[Rows], *, occurrence: Concat, recipient: str | Expression
) -> QuerySet[Rows]:
    """``queryset`` without the rows whose ``occurrence`` (``occurrence_key``) is already written
    to the person in field (or expression) ``recipient``: a NOT EXISTS on the in-app row's
    unique key, in the same query, so a tick after everything is written reads nothing."""
    key = Concat(
        occurrence,
        Value(":"),
        Cast(F(recipient) if isinstance(recipient, str) else recipient, output_field=CharField()),
        Value(f":{Channel.IN_APP}"),
        output_field=CharField(),
    )
    return queryset.alias(_in_app_key=key).filter(
        ~Exists(Notification.objects.filter(dedupe_key=OuterRef("_in_app_key")))
    )


def written(occurrences: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
    """Which (occurrence, recipient id) pairs already have their rows, in one query (the in-app
    row is written with every message, so it stands for the set)."""
    wanted = {
        dedupe_key(occurrence, person, Channel.IN_APP): (occurrence, person)
        for occurrence, person in occurrences
    }
    if not wanted:
        return set()
    found: set[str] = set()
    keys = list(wanted)
    # Chunks keep SQLite's IN list under its limit on parameters; PostgreSQL takes each chunk
    # as one array parameter (``AnyOf``), rather than a parameter per key to quote.
    for start in range(0, len(keys), 10_000):
        found.update(
            Notification.objects.filter(
                AnyOf(F("dedupe_key"), keys[start : start + 10_000])
            ).values_list("dedupe_key", flat=True)
        )
    return {wanted[key] for key in found}
