"""The portfolio's scheduled job: the Monday digest that tells leadership where every programme
stands, built from the dashboard's rows so both say the same thing."""

import datetime as dt

from django.db import transaction
from django.urls import reverse

from programmes.models import Weekday
from programmes.notifications import notify
from programmes.registry.jobs import scheduled_job
from programmes.rules import weekly_occurrence
from programmes.selectors import leadership_people, occurrences_written

from .changes import changes_since
from .digest import digest_text
from .models import DigestPreference
from .notification_kinds import PORTFOLIO_DIGEST
from .selectors import portfolio_rows

DIGEST_TIME = dt.time(8, 0)
A_WEEK = dt.timedelta(days=7)


@scheduled_job
def send_portfolio_digest(now: dt.datetime) -> int:
    """Mondays at 08:00 in each leader's time zone: the dashboard's buckets, what needs
    attention and what changed in the week, to every leader (to those who chose "only when
    something needs attention", only in a week when something does)."""
    due_leaders = []
    for leader in leadership_people().select_related("user").distinct():
        week, due = weekly_occurrence(
            now, timezone=leader.timezone, weekday=Weekday.MONDAY, at=DIGEST_TIME
        )
        if now >= due:
            due_leaders.append((leader, week, due))
    told = occurrences_written(
        [(leader.pk, f"portfolio-digest:{week}") for leader, week, _ in due_leaders]
    )
    due_leaders = [
        (leader, week, due) for leader, week, due in due_leaders if leader.pk not in told
    ]
    if not due_leaders:
        return 0
    # Leadership reads every programme, so one leader's rows are every leader's.
    rows = portfolio_rows(due_leaders[0][0].user, now)
    attention = any(row.needs_attention for row in rows)
    quiet = set(
        DigestPreference.objects.filter(
            person__in=[leader for leader, _, _ in due_leaders], only_when_attention=True
        ).values_list("person_id", flat=True)
    )
    since = min(due for _, _, due in due_leaders) - A_WEEK
    changes = changes_since([row.programme for row in rows], since)
    subject, body = digest_text(rows, changes, since=since)
    written = 0
    for leader, week, _ in due_leaders:
        if leader.pk in quiet and not attention:
            continue
        with transaction.atomic():
            written += len(
                notify(
                    recipient=leader,
                    kind=PORTFOLIO_DIGEST,
                    occurrence=f"portfolio-digest:{week}",
                    subject=subject,
                    body=body,
                    link=reverse("home"),
                )
            )
    return written
