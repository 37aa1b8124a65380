"""Reads about incidents, always through the programmes a user may see."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from programmes.any_of import AnyOf
from programmes.plain_rows import plain_rows
from programmes.rules import Access
from programmes.selectors import programme_access, visible_programmes

from . import rules
from .models import Incident, IncidentStatus, TimelineEntry


def programme_incidents(programme: Any) -> QuerySet[Incident]:
    return programme.incidents.select_related("responder", "programme")


def get_incident_for_user(user: Any, slug: str, incident_id: int | str) -> tuple[Incident, Access]:
    """The incident and the user's access to its programme; 404 when they may not see it."""
    programme = visible_programmes(user).filter(slug=slug).first()
    if programme is None:
        raise Http404("No such programme.")
    incident = (
        programme_incidents(programme)
        .select_related("metric", "runbook", "postmortem")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise Http404("No such incident.")
    return incident, programme_access(user, programme)


def incident_timeline(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.select_related("author").order_by("at", "id")


@dataclass(frozen=True)
class IncidentMeasures:
    since: dt.datetime
    until: dt.datetime
    by_severity: list[Any]
    by_harm: list[tuple[str, int]]


def incident_measures(programme: Any, since: dt.datetime, until: dt.datetime) -> IncidentMeasures:
    """MTTA and MTTR per severity, and incidents per harm category, for incidents opened in
    [since, until): one query."""
    rows = list(
        programme.incidents.filter(opened_at__gte=since, opened_at__lt=until).values(
            "severity", "opened_at", "acknowledged_at", "resolved_at", "harm_category"
        )
    )
    timings = [
        rules.Timing(r["severity"], r["opened_at"], r["acknowledged_at"], r["resolved_at"])
        for r in rows
    ]
    harm = Counter(r["harm_category"] or "unclassified" for r in rows)
    return IncidentMeasures(since, until, rules.measures(timings), sorted(harm.items()))


def shift_incidents(
    programme: Any, since: dt.datetime, until: dt.datetime
) -> dict[str, list[Incident]]:
    """The incidents of an outgoing shift [since, until): opened, changed (anything on their
    timeline) and resolved in it, and those still open. Two queries."""
    changed_ids = set(
        TimelineEntry.objects.filter(
            incident__programme=programme, at__gte=since, at__lt=until
        ).values_list("incident_id", flat=True)
    )
    touched = list(
        programme_incidents(programme)
        .filter(
            Q(opened_at__gte=since, opened_at__lt=until)
            | Q(pk__in=changed_ids)
            | ~Q(status=IncidentStatus.RESOLVED)
        )
        .order_by("-opened_at")
    )

    def within(moment: dt.datetime | None) -> bool:
        return moment is not None and since <= moment < until

    opened = [i for i in touched if within(i.opened_at)]
    resolved = [i for i in touched if within(i.resolved_at)]
    return {
        "opened": opened,
        "changed": [
            i for i in touched if i.pk in changed_ids and i not in opened and i not in resolved
        ],
        "resolved": resolved,
        "open": [i for i in touched if i.is_open],
    }


SERIOUS_SEVERITIES = ("sev1", "sev2")


@dataclass(frozen=True)
class IncidentFacts:
    """What the leadership dashboard shows of one programme's incidents."""

    open_by_severity: dict[str, int]
    # The soonest serious-incident report still owed, if any.
    report_due_at: dt.datetime | None

    @property
    def open_total(self) -> int:
        return sum(self.open_by_severity.values())

    @property
    def open_serious(self) -> int:
        return sum(self.open_by_severity.get(sev, 0) for sev in SERIOUS_SEVERITIES)


def dashboard_facts(programme_ids: list[int]) -> dict[int, IncidentFacts]:
    """Each programme's open incidents by severity and its soonest report due: two queries."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in programme_ids}
    rows = (
        Incident.objects.filter(AnyOf(F("programme_id"), programme_ids))
        .exclude(status=IncidentStatus.RESOLVED)
        .values("programme_id", "severity")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["programme_id"]][row["severity"]] = row["n"]
    due = dict(
        Incident.objects.filter(
            AnyOf(F("programme_id"), programme_ids),
            report_due_at__isnull=False,
            reported_at__isnull=True,
        )
        .values("programme_id")
        .annotate(soonest=Min("report_due_at"))
        .values_list("programme_id", "soonest")
    )
    return {pk: IncidentFacts(counts[pk], due.get(pk)) for pk in programme_ids}


@dataclass(frozen=True)
class IncidentChange:
    programme_id: int
    at: dt.datetime
    text: str
    link: str


def incident_changes(programme_ids: list[int], since: dt.datetime) -> list[IncidentChange]:
    """Incidents opened or resolved since ``since`` in these programmes: one query, the ids as
    one array, of plain rows."""
    rows = (
        Incident.objects.filter(AnyOf(F("programme_id"), programme_ids))
        .filter(Q(opened_at__gte=since) | Q(resolved_at__gte=since))
        .order_by("opened_at", "id")
        .values_list(
            "id", "programme_id", "programme__slug", "severity", "title", "opened_at", "resolved_at"
        )
    )
    changes = []
    for pk, programme_id, slug, severity, title, opened_at, resolved_at in plain_rows(rows):
        label = f"{severity.upper()} “{title}”"
        # What ``Incident.get_absolute_url`` gives.
        link = reverse("incident-detail", kwargs={"slug": slug, "incident_id": pk})
        if opened_at >= since:
            changes.append(IncidentChange(programme_id, opened_at, f"{label} opened", link))
        if resolved_at is not None and resolved_at >= since:
            changes.append(IncidentChange(programme_id, resolved_at, f"{label} resolved", link))
    return changes
