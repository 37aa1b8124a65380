"""Scheduled reminders. Each job looks at the clock, finds what is due and writes notifications
whose occurrence names the period, so running a job twice, or in two processes, tells each
person once. Times are wall-clock times in the programme's or the person's time zone."""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse

from oncall.jobs import ONCALL_JOBS
from scorecards.selectors import headlines_by_programme, stale_headlines, status_of

from .job_runs import timed_job_run
from .models import ACTIVE_STAGES, OWNER_ROLES, NotificationKind, Person, Programme, Role, Stage
from .notifications import notify
from .numbers import plain_number
from .rules import monthly_occurrence, weekly_occurrence
from .selectors import leadership_people
from .times import DATE, format_moment

log = logging.getLogger(__name__)
REMINDER_TIME = dt.time(9, 0)
DIGEST_TIME = dt.time(8, 0)
MONDAY = 0
# A programme without one of these has nobody to answer for it.
REQUIRED_OWNERS = ("programme_owner", "technical_owner", "executive_sponsor", "oncall_lead")
_OWNER_LABELS = dict(OWNER_ROLES)


def remind_regression_work(now: dt.datetime) -> int:
    """Monthly, on the programme's regression day at 09:00 local: tell the technical owner."""
    written = 0
    programmes = Programme.objects.filter(
        stage__in=ACTIVE_STAGES, technical_owner__isnull=False
    ).select_related("technical_owner")
    for programme in programmes:
        month, due = monthly_occurrence(
            now,
            timezone=programme.review_timezone,
            day_of_month=programme.regression_day,
            at=REMINDER_TIME,
        )
        if now < due:
            continue
        assert programme.technical_owner is not None
        with transaction.atomic():
            written += len(
                notify(
                    recipient=programme.technical_owner,
                    programme=programme,
                    kind=NotificationKind.REGRESSION_WORK,
                    occurrence=f"regression-work:{programme.slug}:{month}",
                    subject=f"{programme.name}: monthly regression work is due",
                    body=(
                        f"{programme.name}'s regression work for {month} is due (day "
                        f"{programme.regression_day}). Re-run the evaluation golden set "
                        "against the current model and prompt, compare the headline metric "
                        "with its baseline, and record any drift before the weekly review."
                    ),
                    link=programme.get_absolute_url(),
                )
            )
    return written


def missing_owner_labels(programme: Programme) -> list[str]:
    return [
        _OWNER_LABELS[field]
        for field in REQUIRED_OWNERS
        if getattr(programme, f"{field}_id") is None
    ]


def remind_missing_owners(now: dt.datetime) -> int:
    """Weekly, Mondays at 09:00 local: a programme missing a required owner tells its programme
    owner, or its sponsor, or failing both its owner members."""
    written = 0
    programmes = Programme.objects.filter(stage__in=ACTIVE_STAGES).select_related(
        "programme_owner", "executive_sponsor"
    )
    for programme in programmes:
        missing = missing_owner_labels(programme)
        if not missing:
            continue
        week, due = weekly_occurrence(
            now, timezone=programme.review_timezone, weekday=MONDAY, at=REMINDER_TIME
        )
        if now < due:
            continue
        with transaction.atomic():
            for recipient in _accountable_people(programme):
                written += len(
                    notify(
                        recipient=recipient,
                        programme=programme,
                        kind=NotificationKind.OWNERSHIP_GAP,
                        occurrence=f"ownership-gap:{programme.slug}:{week}",
                        subject=f"{programme.name} has no {', '.join(missing).lower()}",
                        body=(
                            f"{programme.name} is missing: {', '.join(missing)}. Every programme "
                            "needs a named person for each of these before it can be defended "
                            "in production. Name them on the programme's edit page."
                        ),
                        link=reverse("programme-edit", kwargs={"slug": programme.slug}),
                    )
                )
    return written


def _accountable_people(programme: Programme) -> list[Person]:
    person = programme.programme_owner or programme.executive_sponsor
    if person is not None:
        return [person]
    return list(
        Person.objects.filter(
            user__memberships__programme=programme, user__memberships__role=Role.OWNER
        )
    )


def send_portfolio_digest(now: dt.datetime) -> int:
    """Mondays at 08:00 in each leader's time zone: the whole portfolio in one email."""
    leaders = leadership_people().distinct()
    due_leaders = []
    for leader in leaders:
        week, due = weekly_occurrence(now, timezone=leader.timezone, weekday=MONDAY, at=DIGEST_TIME)
        if now >= due:
            due_leaders.append((leader, week))
    if not due_leaders:
        return 0
    subject, body = portfolio_digest_text(now)
    written = 0
    for leader, week in due_leaders:
        with transaction.atomic():
            written += len(
                notify(
                    recipient=leader,
                    kind=NotificationKind.PORTFOLIO_DIGEST,
                    occurrence=f"portfolio-digest:{week}",
                    subject=subject,
                    body=body,
                    link=reverse("programme-list"),
                )
            )
    return written


def portfolio_digest_text(now: dt.datetime) -> tuple[str, str]:
    """The digest's subject and body: programmes by stage, each headline metric's standing, and
    who is missing where."""
    programmes = list(Programme.objects.exclude(stage=Stage.RETIRED).order_by("stage", "name"))
    by_stage = Counter(programme.get_stage_display() for programme in programmes)
    lines = [
        f"{len(programmes)} active programme{'' if len(programmes) == 1 else 's'}: "
        + ", ".join(f"{count} {stage.lower()}" for stage, count in sorted(by_stage.items())),
        "",
    ]
    headlines = headlines_by_programme([programme.pk for programme in programmes])
    for programme in programmes:
        lines.append(f"• {programme.name} ({programme.get_stage_display().lower()})")
        headline = headlines.get(programme.pk)
        if headline is None:
            lines.append("    no headline metric agreed")
        else:
            status = status_of(headline, now)
            current = "not measured" if status.current is None else plain_number(status.current)
            override = f", owner says {status.rag_override}" if status.rag_override else ""
            lines.append(
                f"    {headline.name}: {current} (target {plain_number(headline.target_value)}), "
                f"{status.progress}% of the way, {status.rag}{override}"
                + (" — regression open" if status.regression else "")
                + (" — stale" if status.stale else "")
            )
        missing = missing_owner_labels(programme)
        if missing:
            lines.append(f"    missing {', '.join(missing).lower()}")
    return "Keel portfolio digest", "\n".join(lines)


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
                    kind=NotificationKind.STALE_HEADLINE,
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


JOBS: tuple[Callable[[dt.datetime], int], ...] = (
    remind_regression_work,
    remind_missing_owners,
    send_portfolio_digest,
    remind_stale_headlines,
    *ONCALL_JOBS,
)


def run_due_reminders(now: dt.datetime) -> dict[str, int]:
    """Run every reminder job for ``now``; returns how many notifications each wrote (-1 for a
    job that failed). One job failing does not keep the others from running."""
    results = {}
    for job in JOBS:
        with timed_job_run(job.__name__) as run:
            try:
                results[job.__name__] = job(now)
            except Exception:
                log.exception("reminder job %s failed", job.__name__)
                results[job.__name__] = -1
                run.failed()
    return results
