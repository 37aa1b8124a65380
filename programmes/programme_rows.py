"""The programme list API's page from plain rows: the page read with ``values()``, the named
owners with one query for the people, the caller's access worked out once per membership role,
and each programme written out by hand, in exactly the shape ``ProgrammeSerializer`` gives a
single programme. A page of a thousand programmes otherwise spends most of its time building
model instances and running two dozen DRF fields per programme."""

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import F, QuerySet
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.reverse import reverse

from . import plain_rows
from .any_of import AnyOf
from .api_pagination import with_total
from .models import OWNER_FIELDS, Person, Programme, Stage, Weekday
from .models.validators import mask_secret
from .selectors import Visibility, access_for_role, programmes_visible, visibility
from .serializers import ACCESS_FIELDS

OWNER_COLUMNS = tuple(f"{field}_id" for field in OWNER_FIELDS)
COLUMNS = (
    "slug",
    "name",
    "summary",
    "business_unit",
    "stage",
    *OWNER_COLUMNS,
    "review_weekday",
    "review_time",
    "review_timezone",
    "regression_day",
    "cost_envelope",
    "cost_currency",
    "slack_webhook_url",
    "member_role",
    "created_at",
    "updated_at",
)
PEOPLE_COLUMNS = ("id", "name", "email")
STAGE_LABELS: dict[str, str] = dict(Stage.choices)
WEEKDAY_LABELS: dict[int, str] = dict(Weekday.choices)
CENTS = Decimal("0.01")
# Where the owners' ids sit in a row; the order of OWNER_FIELDS, which the names below follow.
OWNERS = slice(5, 5 + len(OWNER_COLUMNS))
# Stands for the slug in the one URL reversed per page (the slug comes last, hence rsplit).
_SLUG = "--slug--"
# Stands for the caller's id while a page's SQL is written (no row has a negative id).
_CALLER = -7_302_949_127_653


def page_rows(programmes: QuerySet[Programme]) -> QuerySet[Programme, tuple[Any, ...]]:
    """``programmes`` (from ``visible_programmes``) as the rows the list writes out: tuples of
    ``COLUMNS``, which cost less to build than dictionaries."""
    return programmes.values_list(*COLUMNS)


@cache
def _page_sql(kind: str, alias: str) -> tuple[str, tuple[Any, ...], tuple[int, ...]]:
    """The SQL of a page of ``page_rows`` with their total for callers of one kind of
    visibility, written once per process: building and compiling it through the ORM cost more
    than PostgreSQL takes to run it. ``programmes_visible`` puts nothing in it but the caller's
    id (at the positions returned) and constants; the page's limit and offset come last."""
    query = with_total(page_rows(programmes_visible(Visibility(kind, _CALLER)))).using(alias)  # type: ignore[arg-type]
    sql, params = query.query.sql_with_params()
    slots = tuple(n for n, value in enumerate(params) if type(value) is int and value == _CALLER)
    if not slots or str(_CALLER) in sql:
        raise ImproperlyConfigured(f"The programme list cannot keep the SQL of {kind!r} pages.")
    return f"{sql} LIMIT %s OFFSET %s", tuple(params), slots


class PageOfRows:
    """The caller's programmes as ``with_total`` rows of ``COLUMNS`` for ``TotalInRows``: a
    slice is one page, read on PostgreSQL with ``_page_sql`` and ``plain_rows.fetch_sql``."""

    def __init__(self, user: Any) -> None:
        self.seen = visibility(user)

    def _query(self) -> QuerySet[Programme, tuple[Any, ...]]:
        return with_total(page_rows(programmes_visible(self.seen)))

    def count(self) -> int:
        return programmes_visible(self.seen).count()

    def __getitem__(self, window: slice) -> list[tuple[Any, ...]]:
        if self.seen.kind == "none":
            return []
        alias = router.db_for_read(Programme)
        if connections[alias].vendor != "postgresql":
            return list(self._query()[window])
        sql, template, slots = _page_sql(self.seen.kind, alias)
        params = list(template)
        for slot in slots:
            params[slot] = self.seen.pk
        offset = window.start or 0
        return plain_rows.fetch_sql(alias, sql, [*params, window.stop - offset, offset])


def _time(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """``moment`` as DRF's ``DateTimeField`` writes it: ISO 8601 in the current zone, ``Z`` for
    UTC."""
    text = moment.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _money(amount: Decimal | None) -> str | None:
    """A cost envelope as DRF's ``DecimalField`` writes it (the column holds two places)."""
    return None if amount is None else format(amount.quantize(CENTS), "f")


@cache
def _people_sql(alias: str, people: type[Person]) -> str:
    quote = connections[alias].ops.quote_name
    column = {field.attname: quote(field.column) for field in people._meta.concrete_fields}
    columns = ", ".join(column[name] for name in PEOPLE_COLUMNS)
    table = quote(people._meta.db_table)
    return f"SELECT {columns} FROM {table} WHERE {column['id']} = ANY(%s)"  # noqa: S608 - ours


def _people(ids: set[int]) -> list[tuple[Any, ...]]:
    """The named owners' id, name and email: on PostgreSQL one statement written once per
    process, with the ids as one array literal, as ``AnyOf`` writes them."""
    if not ids:
        return []
    alias = router.db_for_read(Person)
    if connections[alias].vendor != "postgresql":
        return list(Person.objects.filter(AnyOf(F("id"), ids)).values_list(*PEOPLE_COLUMNS))
    array = "{" + ",".join(map(str, sorted(ids))) + "}"
    return plain_rows.fetch_sql(alias, _people_sql(alias, Person), [array])


def page_data(request: Request, rows: list[tuple[Any, ...]], url_format: str | None) -> list[Any]:
    """The programmes of ``rows`` (from ``page_rows``) as the list API shows them."""
    ids = {pk for row in rows for pk in row[OWNERS]} - {None}
    people: dict[int | None, dict[str, Any] | None] = {
        pk: {"id": pk, "name": name, "email": email} for pk, name, email in _people(ids)
    }
    people[None] = None
    url_prefix, url_suffix = reverse(
        "api-programme-detail", kwargs={"slug": _SLUG}, request=request, format=url_format
    ).rsplit(_SLUG, 1)
    accesses: dict[str | None, dict[str, bool]] = {}
    for role in {row[-3] for row in rows}:
        access = access_for_role(request.user, role)
        accesses[role] = {name: getattr(access, name) for name in ACCESS_FIELDS}
    zone = timezone.get_current_timezone()
    return [
        {
            "url": f"{url_prefix}{slug}{url_suffix}",
            "slug": slug,
            "name": name,
            "summary": summary,
            "business_unit": unit,
            "stage": stage,
            "stage_label": STAGE_LABELS.get(stage, stage),
            "executive_sponsor": people.get(sponsor),
            "programme_owner": people.get(owner),
            "delivery_lead": people.get(delivery),
            "technical_owner": people.get(technical),
            "risk_owner": people.get(risk),
            "security_owner": people.get(security),
            "product_owner": people.get(product),
            "oncall_lead": people.get(oncall),
            "review_weekday": weekday,
            "review_weekday_label": WEEKDAY_LABELS.get(weekday, weekday),
            "review_time": review_time.isoformat(),
            "review_timezone": review_zone,
            "regression_day": regression_day,
            "cost_envelope": _money(cost),
            "cost_currency": currency,
            "slack_webhook": mask_secret(webhook),
            "your_role": role,
            "your_access": accesses[role],
            "created_at": _time(created, zone),
            "updated_at": _time(updated, zone),
        }
        for (
            slug,
            name,
            summary,
            unit,
            stage,
            sponsor,
            owner,
            delivery,
            technical,
            risk,
            security,
            product,
            oncall,
            weekday,
            review_time,
            review_zone,
            regression_day,
            cost,
            currency,
            webhook,
            role,
            created,
            updated,
        ) in rows
    ]
