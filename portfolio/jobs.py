"""The portfolio's scheduled job: the Monday digest that tells leadership where every programme
stands, built from the dashboard's rows so both say the same thing."""

import datetime as dt

from django.db import transaction
from django.urls import reverse

from programmes.models import Weekday
from programmes.outbox import Message, notify_many, written
from programmes.registry.jobs import scheduled_job
from programmes.rules import weekly_occurrence
from programmes.selectors import leadership_people

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
    something needs attention", only in a week when something does). The rows are built only
    when a leader is due a digest not written yet."""
    due_leaders = []
    for leader in leadership_people().select_related("user").distinct():
        week, due = weekly_occurrence(
            now, timezone=leader.timezone, weekday=Weekday.MONDAY, at=DIGEST_TIME
        )
        if now >= due:
            due_leaders.append((leader, f"portfolio-digest:{week}", due))
    done = written((occurrence, leader.pk) for leader, occurrence, _ in due_leaders)
    untold = [entry for entry in due_leaders if (entry[1], entry[0].pk) not in done]
    if not untold:
        return 0
    # Leadership reads every programme, so one leader's rows are every leader's.
    rows = portfolio_rows(untold[0][0].user, now)
    attention = any(row.needs_attention for row in rows)
    quiet = set(
        DigestPreference.objects.filter(
            person__in=[leader for leader, _, _ in untold], only_when_attention=True
        ).values_list("person_id", flat=True)
    )
    since = min(due for _, _, due in untold) - A_WEEK
    subject, body = digest_text(
        rows, changes_since([r.programme for r in rows], since, now), since=since
    )
    with transaction.atomic():
        return len(
            notify_many(
                Message(
                    recipient=leader,
                    kind=PORTFOLIO_DIGEST,
                    occurrence=occurrence,
                    subject=subject,
                    body=body,
                    link=reverse("home"),
                )
                for leader, occurrence, _ in untold
                if attention or leader.pk not in quiet
            )
        )
