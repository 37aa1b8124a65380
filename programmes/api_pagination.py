"""The API's pagination (``DEFAULT_PAGINATION_CLASS``), in a module of its own: DRF imports it
while ``rest_framework.generics`` is still loading."""

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window
from rest_framework.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 50
# The largest offset PostgreSQL takes (a bigint): a page starting further on is past the end of
# any list, and asking the database for it would fail rather than come back empty.
FURTHEST_OFFSET = 2**63 - 1
MAX_PAGE_SIZE = 1000


class PageNumbers(PageNumberPagination):
    """Every list of the API: ``page`` and ``page_size`` (50 unless asked, at most 1,000; a
    size out of range or not a number is the default or the largest)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {"page": (1, None), "page_size": (1, MAX_PAGE_SIZE)}
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"]["minimum"] = low
            if high is not None:
                parameter["schema"]["maximum"] = high
        return parameters


def with_total(rows: QuerySet[Any, tuple[Any, ...]]) -> QuerySet[Any, tuple[Any, ...]]:
    """``rows`` (a ``values_list`` query) with the size of the whole list as a last column,
    ``COUNT(*) OVER ()``: what ``TotalInRows`` reads the count from."""
    return rows.annotate(_total=Window(Count("*")))


class TotalInRows(Paginator):
    """Django's paginator over ``with_total`` rows (a query, or anything whose slices are lists
    of them and that has ``count()``): the page and the count come in one query, where Django's
    asks a ``COUNT(*)`` first. Each row of the page is given without its total.

    An empty page is the empty first page of an empty list (count 0) or else a page past the
    end, refused as Django refuses it. When the count is needed before the page (DRF's
    ``?page=last``) or with orphans, Django's own reading applies.
    """

    def page(self, number: Any) -> Page:
        if self.orphans or "count" in self.__dict__:
            return super().page(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom > FURTHEST_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = rows[0][-1]
        elif number == 1 and self.allow_empty_first_page:
            self.__dict__["count"] = 0
        else:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)

    def _get_page(self, rows: Any, number: int, paginator: Paginator) -> Page:
        return Page([row[:-1] for row in rows], number, paginator)


class RowPages(PageNumbers):
    """``PageNumbers`` for a list read as ``with_total`` rows (the programme list)."""

    django_paginator_class = TotalInRows
