"""Scorecards' scheduled job: a headline metric nobody measured lately tells its owner."""

import datetime as dt

from django.db import transaction

from programmes.notifications import notify
from programmes.registry.jobs import scheduled_job
from programmes.times import DATE, format_moment

from .notification_kinds import STALE_HEADLINE
from .selectors import stale_headlines


@scheduled_job
def remind_stale_headlines(now: dt.datetime) -> int:
    """A headline metric not measured within its staleness window tells its owner, once per
    stale spell (a new measurement starts a new one)."""
    written = 0
    for metric, last_measured_at in stale_headlines(now):
        assert metric.owner is not None
        programme = metric.programme
        since = "never" if last_measured_at is None else f"{last_measured_at:%Y-%m-%dT%H:%M:%S}"
        when = (
            "has never been measured"
            if last_measured_at is None
            else "was last measured on "
            f"{format_moment(last_measured_at, metric.owner.timezone, style=DATE)}"
        )
        with transaction.atomic():
            written += len(
                notify(
                    recipient=metric.owner,
                    programme=programme,
                    kind=STALE_HEADLINE,
                    occurrence=f"stale-headline:{metric.pk}:{since}",
                    subject=f"{programme.name}: {metric.name} is stale",
                    body=(
                        f"{programme.name}'s headline metric {metric.name} {when}; it should be "
                        f"measured at least every {metric.staleness_days} days. Post the latest "
                        "evaluation result so the weekly review sees where the programme stands."
                    ),
                    link=metric.get_absolute_url(),
                )
            )
    return written
