"""The programme list API's page from plain rows: the page read with ``values()``, the named
owners with one query for the people, the caller's access worked out once per membership role,
and each programme written out by hand, in exactly the shape ``ProgrammeSerializer`` gives a
single programme. A page of a thousand programmes otherwise spends most of its time building
model instances and running two dozen DRF fields per programme."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.reverse import reverse

from .any_of import AnyOf
from .models import OWNER_FIELDS, Person, Programme, Stage, Weekday
from .models.validators import mask_secret
from .selectors import access_for_role
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
STAGE_LABELS: dict[str, str] = dict(Stage.choices)
WEEKDAY_LABELS: dict[int, str] = dict(Weekday.choices)
CENTS = Decimal("0.01")
# Where the owners' ids sit in a row; the order of OWNER_FIELDS, which the names below follow.
OWNERS = slice(5, 5 + len(OWNER_COLUMNS))
# Stands for the slug in the one URL reversed per page (the slug comes last, hence rsplit).
_SLUG = "--slug--"


def page_rows(programmes: QuerySet[Programme]) -> QuerySet[Programme, tuple[Any, ...]]:
    """``programmes`` (from ``visible_programmes``) as the rows the list writes out: tuples of
    ``COLUMNS``, which cost less to build than dictionaries."""
    return programmes.values_list(*COLUMNS)


def _time(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """``moment`` as DRF's ``DateTimeField`` writes it: ISO 8601 in the current zone, ``Z`` for
    UTC."""
    text = moment.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _money(amount: Decimal | None) -> str | None:
    """A cost envelope as DRF's ``DecimalField`` writes it (the column holds two places)."""
    return None if amount is None else format(amount.quantize(CENTS), "f")


def page_data(request: Request, rows: list[tuple[Any, ...]], url_format: str | None) -> list[Any]:
    """The programmes of ``rows`` (from ``page_rows``) as the list API shows them."""
    ids = {pk for row in rows for pk in row[OWNERS]} - {None}
    people: dict[int | None, dict[str, Any] | None] = {
        pk: {"id": pk, "name": name, "email": email}
        for pk, name, email in Person.objects.filter(AnyOf(F("id"), ids))
        .order_by()
        .values_list("id", "name", "email")
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
