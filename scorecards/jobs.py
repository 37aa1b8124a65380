"""Scorecards' scheduled job: a headline metric nobody measured lately tells its owner."""

import datetime as dt

from django.db import transaction

from programmes.outbox import Message, notify_all, written
from programmes.registry.jobs import scheduled_job
from programmes.times import DATE, format_moment

from .notification_kinds import STALE_HEADLINE
from .selectors import metrics_with_programme_and_owner, stale_headlines


def _occurrence(metric_id: int, last_measured_at: dt.datetime | None) -> str:
    since = "never" if last_measured_at is None else f"{last_measured_at:%Y-%m-%dT%H:%M:%S}"
    return f"stale-headline:{metric_id}:{since}"


@scheduled_job
def remind_stale_headlines(now: dt.datetime) -> int:
    """A headline metric not measured within its staleness window tells its owner, once per
    stale spell (a new measurement starts a new one). Spells already told are left out before
    any metric is read in full."""
    stale = stale_headlines(now)
    done = written((_occurrence(pk, latest), owner_id) for pk, owner_id, latest in stale)
    untold = {
        pk: latest
        for pk, owner_id, latest in stale
        if (_occurrence(pk, latest), owner_id) not in done
    }
    messages = []
    for pk, metric in metrics_with_programme_and_owner(list(untold)).items():
        assert metric.owner is not None
        programme, last_measured_at = metric.programme, untold[pk]
        when = (
            "has never been measured"
            if last_measured_at is None
            else "was last measured on "
            f"{format_moment(last_measured_at, metric.owner.timezone, style=DATE)}"
        )
        messages.append(
            Message(
                recipient=metric.owner,
                programme=programme,
                kind=STALE_HEADLINE,
                occurrence=_occurrence(pk, last_measured_at),
                subject=f"{programme.name}: {metric.name} is stale",
                body=(
                    f"{programme.name}'s headline metric {metric.name} {when}; it should be "
                    f"measured at least every {metric.staleness_days} days. Post the latest "
                    "evaluation result so the weekly review sees where the programme stands."
                ),
                link=metric.get_absolute_url(),
            )
        )
    with transaction.atomic():
        return notify_all(messages)
