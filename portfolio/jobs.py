"""The portfolio's scheduled job: the Monday digest that tells leadership where every programme
stands."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.urls import reverse

from programmes.models import REQUIRED_OWNERS, Programme, Stage, Weekday
from programmes.numbers import plain_number
from programmes.outbox import Message, notify_many, written
from programmes.registry.jobs import scheduled_job
from programmes.rules import weekly_occurrence
from programmes.selectors import leadership_people
from scorecards.selectors import headline_standings

from .notification_kinds import PORTFOLIO_DIGEST

DIGEST_TIME = dt.time(8, 0)


@scheduled_job
def send_portfolio_digest(now: dt.datetime) -> int:
    """Mondays at 08:00 in each leader's time zone: the whole portfolio in one email. The digest
    is built only when a leader is due one not written yet, so once a week per leader."""
    leaders = leadership_people().distinct()
    due_leaders = []
    for leader in leaders:
        week, due = weekly_occurrence(
            now, timezone=leader.timezone, weekday=Weekday.MONDAY, at=DIGEST_TIME
        )
        if now >= due:
            due_leaders.append((leader, f"portfolio-digest:{week}"))
    done = written((occurrence, leader.pk) for leader, occurrence in due_leaders)
    untold = [(leader, occ) for leader, occ in due_leaders if (occ, leader.pk) not in done]
    if not untold:
        return 0
    subject, body = portfolio_digest_text(now)
    with transaction.atomic():
        return len(
            notify_many(
                Message(
                    recipient=leader,
                    kind=PORTFOLIO_DIGEST,
                    occurrence=occurrence,
                    subject=subject,
                    body=body,
                    link=reverse("programme-list"),
                )
                for leader, occurrence in untold
            )
        )


def portfolio_digest_text(now: dt.datetime) -> tuple[str, str]:
    """The digest's subject and body: programmes by stage, each headline metric's standing, and
    who is missing where. Read in a fixed number of queries, the headlines as plain rows."""
    live = Programme.objects.exclude(stage=Stage.RETIRED)
    programmes = list(
        live.order_by("stage", "name").only("name", "stage", *(f"{f}_id" for f in REQUIRED_OWNERS))
    )
    by_stage = Counter(programme.get_stage_display() for programme in programmes)
    lines = [
        f"{len(programmes)} active programme{'' if len(programmes) == 1 else 's'}: "
        + ", ".join(f"{count} {stage.lower()}" for stage, count in sorted(by_stage.items())),
        "",
    ]
    headlines = headline_standings(live, now)
    for programme in programmes:
        lines.append(f"• {programme.name} ({programme.get_stage_display().lower()})")
        headline = headlines.get(programme.pk)
        if headline is None:
            lines.append("    no headline metric agreed")
        else:
            status = headline.status
            current = "not measured" if status.current is None else plain_number(status.current)
            override = f", owner says {status.rag_override}" if status.rag_override else ""
            lines.append(
                f"    {headline.name}: {current} (target {plain_number(headline.target_value)}), "
                f"{status.progress}% of the way, {status.rag}{override}"
                + (" — regression open" if status.regression else "")
                + (" — stale" if status.stale else "")
            )
        missing = programme.missing_owner_labels()
        if missing:
            lines.append(f"    missing {', '.join(missing).lower()}")
    return "Keel portfolio digest", "\n".join(lines)
