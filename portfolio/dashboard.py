"""One view of the dashboard as the URL states it, shared by the page, the exports and the
board pack: the filtered rows, the bucket counts and the business-unit roll-up."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

from . import filters
from .selectors import RollupRow, Row, bucket_counts, business_unit_rollup, portfolio_rows

PAGE_SIZE = 100


@dataclass(frozen=True)
class DashboardView:
    rows: list[Row]
    page: Page[Row]
    counts: dict[str, int]
    rollup: list[RollupRow]
    total: int


def dashboard_view(
    user: Any, now: dt.datetime, data: dict[str, Any], *, page: int | str = 1
) -> DashboardView:
    """The rows ``user`` sees at ``now`` under the filters ``data``; counts and the roll-up are
    over the filtered rows before the bucket filter, so each count says what its filter finds."""
    everything = portfolio_rows(user, now)
    unbucketed = filters.apply(everything, data, with_bucket=False)
    rows = filters.apply(everything, data)
    paginator = Paginator(rows, PAGE_SIZE, allow_empty_first_page=True)
    return DashboardView(
        rows=rows,
        page=paginator.get_page(page),
        counts=bucket_counts(unbucketed),
        rollup=business_unit_rollup(unbucketed),
        total=len(everything),
    )
