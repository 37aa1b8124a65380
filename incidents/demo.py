"""The demo portfolio's incident history: resolved and open incidents, a postmortem with an
overdue action, a serious incident's reporting clock and a runbook per programme."""

import datetime as dt
from typing import Any

from django.utils import timezone

from programmes.models import Person, Programme
from programmes.registry.demo import GeneratedPortfolio, demo_generator, demo_loader

from . import rules
from .models import ActionItem, Incident, Postmortem, Runbook, TimelineEntry

# Past incidents, with times chosen so the response-time figures are easy to check by hand:
# (title, severity, status, harm, source, opened days ago, minutes to acknowledge, to mitigate,
# to resolve).
DEMO_INCIDENTS: dict[str, list[tuple[Any, ...]]] = {
    "Claims triage assistant": [
        (
            "Claims routed to the fraud queue by mistake",
            "sev1",
            "resolved",
            "wrong_output",
            "manual",
            10,
            4,
            40,
            120,
        ),
        (
            "Prompt injection through claim attachments",
            "sev2",
            "resolved",
            "prompt_injection",
            "api",
            5,
            12,
            30,
            50,
        ),
        ("p95 latency above 3 s", "sev3", "mitigated", "outage", "alertmanager", 2, 30, 55, None),
    ],
    "Customer support copilot": [
        (
            "Drafts quoting another customer's order",
            "sev2",
            "acknowledged",
            "data_exposure",
            "manual",
            1,
            8,
            None,
            None,
        ),
    ],
}

# incident title → (summary, contributing factors, what went well, action)
POSTMORTEMS = {
    "Claims routed to the fraud queue by mistake": (
        "The new model mislabelled multi-vehicle claims as suspicious.",
        "No multi-vehicle cases in the golden set.",
        "Paged within 4 minutes; rollback took 20 minutes.",
        "Add 50 multi-vehicle claims to the golden set",
    ),
    "Prompt injection through claim attachments": (
        "Instructions hidden in a PDF attachment changed the suggested priority.",
        "Attachment text reached the prompt without the injection filter.",
        "The red-team probe set caught the pattern within a day.",
        "Run attachment text through the injection filter",
    ),
}

DEMO_MODELS = {
    "Claims triage assistant": "claims-gpt-2026-09",
    "Customer support copilot": "support-llm-v4",
}

CLAIMS_RUNBOOK = """## Routing errors

1. Check the fallback queue depth on the claims dashboard.
2. If more than 5% of claims go to the fallback queue, switch routing to the previous model:
   `keelctl route --model claims-gpt-2026-05`.
3. Page the technical owner if the rate stays up for 15 minutes.
"""

COPILOT_RUNBOOK = """## A draft shows another customer's data

1. Switch drafting off for the affected queue: *Settings → Copilot → Pause drafts*.
2. Export the affected conversation ids and tell the risk & compliance owner at once.
3. Mark the incident serious if personal data reached a customer: the reporting clock starts.
"""

DEMO_RUNBOOKS = {
    "Claims triage assistant": ("Routing errors", CLAIMS_RUNBOOK),
    "Customer support copilot": ("Cross-customer data in a draft", COPILOT_RUNBOOK),
}


@demo_loader(order=30)
def load_demo_incidents(*, users: dict[str, Any], people: dict[str, Person]) -> str:
    """History for the demo programmes without incidents: resolved and open incidents, a
    postmortem with an overdue action, a serious incident's reporting clock, a runbook."""
    now = timezone.now()
    loaded = 0
    for programme_name, specs in DEMO_INCIDENTS.items():
        programme = Programme.objects.filter(name=programme_name).first()
        if programme is None or programme.incidents.exists():
            continue
        title, body = DEMO_RUNBOOKS[programme_name]
        runbook = Runbook.objects.create(programme=programme, title=title, body=body)
        for title, severity, status, harm, source, days, ack, mitigate, resolve in specs:
            opened = (now - dt.timedelta(days=days)).replace(second=0, microsecond=0)

            def after(minutes: int | None, opened: dt.datetime = opened) -> dt.datetime | None:
                return None if minutes is None else opened + dt.timedelta(minutes=minutes)

            incident = Incident.objects.create(
                programme=programme,
                title=title,
                severity=severity,
                status=status,
                source=source,
                harm_category=harm,
                responder=programme.oncall_lead,
                opened_at=opened,
                acknowledged_at=after(ack),
                mitigated_at=after(mitigate),
                resolved_at=after(resolve),
                runbook=runbook,
                model_version=DEMO_MODELS[programme_name],
            )
            steps = [(opened, "opened", f"Opened as {incident.get_severity_display()}.")]
            for minutes, label in (
                (ack, "Acknowledged"),
                (mitigate, "Mitigated"),
                (resolve, "Resolved"),
            ):
                moment = after(minutes)
                if moment is not None:
                    steps.append((moment, "status", f"→ {label}"))
            TimelineEntry.objects.bulk_create(
                TimelineEntry(incident=incident, at=at, kind=kind, author_label="demo", text=text)
                for at, kind, text in steps
            )
            if severity in ("sev1", "sev2") and incident.resolved_at is not None:
                postmortem = Postmortem.objects.create(
                    incident=incident,
                    due_on=rules.postmortem_due(incident.resolved_at.date()),
                    summary=POSTMORTEMS[title][0],
                    contributing_factors=POSTMORTEMS[title][1],
                    went_well=POSTMORTEMS[title][2],
                )
                ActionItem.objects.create(
                    postmortem=postmortem,
                    title=POSTMORTEMS[title][3],
                    owner=people["Priya Raman"],
                    due_on=(now - dt.timedelta(days=1)).date(),
                )
            if harm == "data_exposure":
                incident.serious_kind = "standard"
                incident.serious_since = opened + dt.timedelta(hours=2)
                incident.report_due_at = rules.report_deadline("standard", incident.serious_since)
                incident.save()
        loaded += 1
    return f"incident history for {loaded} programme(s)"


# One generated programme in this many has had an incident in the last month.
INCIDENT_EVERY = 4


@demo_generator(order=30)
def generate_incidents(portfolio: GeneratedPortfolio) -> str:
    """A runbook per generated programme, and an incident of the last month for one in four:
    mostly resolved SEV3/SEV4, some still open."""
    runbooks, incidents = [], []
    for programme in portfolio.programmes:
        rng = portfolio.rng(programme, "incidents")
        runbooks.append(
            Runbook(
                programme=programme,
                title="Rolling back the model",
                body="1. Switch the serving alias to the previous model version.\n"
                "2. Re-run the golden set.\n3. Post the result in the incident timeline.",
            )
        )
        if rng.randrange(INCIDENT_EVERY):
            continue
        opened = portfolio.now - dt.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 23))
        resolved = rng.random() < 0.8
        incidents.append(
            Incident(
                programme=programme,
                title=rng.choice(
                    ("Latency above 3 s", "Evaluation score dropped", "Provider 5xx errors")
                ),
                severity=rng.choice(("sev3", "sev3", "sev4", "sev2")),
                status="resolved" if resolved else "acknowledged",
                source="alertmanager",
                responder_id=programme.oncall_lead_id,
                opened_at=opened,
                acknowledged_at=opened + dt.timedelta(minutes=rng.randint(2, 40)),
                resolved_at=opened + dt.timedelta(hours=rng.randint(1, 12)) if resolved else None,
            )
        )
    Runbook.objects.bulk_create(runbooks, batch_size=2000)
    Incident.objects.bulk_create(incidents, batch_size=2000)
    return f"{len(incidents)} incident(s), {len(runbooks)} runbook(s)"
