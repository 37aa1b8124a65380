"""Section 3: incidents of the period: opened, resolved, still open (by severity), MTTA and
MTTR, postmortems due, and the serious-incident reporting clocks running."""

from collections import Counter
from typing import Any

from django.db.models import Q

from incidents import selectors as incident_selectors
from incidents.models import Incident, IncidentStatus, Postmortem, Severity

from .context import AgendaContext, item, section


def incidents(ctx: AgendaContext) -> dict[str, Any]:
    touched = list(
        incident_selectors.programme_incidents(ctx.programme)
        .filter(
            Q(opened_at__gte=ctx.since, opened_at__lt=ctx.until)
            | Q(resolved_at__gte=ctx.since, resolved_at__lt=ctx.until)
            | (~Q(status=IncidentStatus.RESOLVED) & Q(opened_at__lt=ctx.until))
        )
        .order_by("-opened_at", "-id")
    )

    def within(moment: Any) -> bool:
        return moment is not None and ctx.since <= moment < ctx.until

    opened = [i for i in touched if within(i.opened_at)]
    resolved = [i for i in touched if within(i.resolved_at)]
    still_open = [i for i in touched if i.resolved_at is None or i.resolved_at >= ctx.until]
    items = []
    counts = Counter(i.severity for i in opened)
    by_severity = ", ".join(
        f"{counts[s]} {Severity(s).label.split()[0]}" for s in Severity.values if counts[s]
    )
    items.append(
        item(
            "incidents:counts",
            f"{len(opened)} opened, {len(resolved)} resolved, {len(still_open)} still open",
            tone="bad" if still_open else "ok",
            detail=f"opened by severity: {by_severity}" if by_severity else "",
            opened=len(opened),
            resolved=len(resolved),
            still_open=len(still_open),
            opened_by_severity=dict(counts),
        )
    )
    measures = incident_selectors.incident_measures(ctx.programme, ctx.since, ctx.until)
    for row in measures.by_severity:
        if row.count == 0:
            continue
        name = (
            "All"
            if row.severity not in Severity.values
            else Severity(row.severity).label.split()[0]
        )
        mtta = "—" if row.mtta_minutes is None else f"{round(row.mtta_minutes)} min"
        mttr = "—" if row.mttr_minutes is None else f"{round(row.mttr_minutes)} min"
        items.append(
            item(
                f"incidents:measures:{row.severity}",
                f"{name}: MTTA {mtta}, MTTR {mttr} "
                f"({row.count} incident{'s' if row.count != 1 else ''})",
                severity=row.severity,
                mtta_minutes=row.mtta_minutes,
                mttr_minutes=row.mttr_minutes,
            )
        )
    for incident in opened + [i for i in still_open if i not in opened]:
        state = "opened" if incident in opened else "still open"
        items.append(
            item(
                f"incident:{incident.pk}",
                f"{incident} [{state}, {incident.get_status_display().lower()}]",
                tone="bad" if incident.is_open else "info",
                detail=f"opened {ctx.moment(incident.opened_at)}",
                link=incident.get_absolute_url(),
                incident_id=incident.pk,
                severity=incident.severity,
                status=incident.status,
                state=state,
            )
        )
    postmortems = Postmortem.objects.filter(
        incident__programme=ctx.programme, completed_at__isnull=True
    ).select_related("incident__programme")
    today = ctx.until.astimezone(ctx.review_zone).date()
    for postmortem in postmortems:
        late = postmortem.due_on < today
        items.append(
            item(
                f"postmortem:{postmortem.pk}",
                f"Postmortem of {postmortem.incident.title} "
                f"{'overdue since' if late else 'due'} {ctx.day(postmortem.due_on)}",
                tone="bad" if late else "warn",
                link=postmortem.incident.get_postmortem_url(),
                due_on=postmortem.due_on.isoformat(),
            )
        )
    clocks = Incident.objects.filter(
        programme=ctx.programme, report_due_at__isnull=False, reported_at__isnull=True
    ).select_related("programme")
    for incident in clocks:
        assert incident.report_due_at is not None
        items.append(
            item(
                f"report-clock:{incident.pk}",
                f"Serious incident report for {incident.title} due "
                f"{ctx.moment(incident.report_due_at)}",
                tone="bad",
                link=incident.get_absolute_url(),
                report_due_at=incident.report_due_at.isoformat(),
            )
        )
    return section("incidents", "Incidents", items, empty="")
