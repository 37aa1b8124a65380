"""Section 7: production readiness. For a programme in production, whether its readiness still
holds — each thing that stopped holding (a criterion Keel checks, an expired sign-off, a change
to re-attest) is an item the meeting sees; otherwise where the readiness review stands."""

from typing import Any

from django.urls import reverse

from programmes.models import Stage

from ..models import SignOffDecision
from ..selectors.readiness import readiness_of
from .context import AgendaContext, item, section


def readiness(ctx: AgendaContext) -> dict[str, Any]:
    state = readiness_of(ctx.programme, ctx.until)
    link = reverse("readiness", kwargs={"slug": ctx.programme.slug})
    in_production = ctx.programme.stage == Stage.PRODUCTION
    items = []
    if state.passed:
        items.append(
            item(
                "readiness:holds",
                "OK readiness holds: four approvals in force, every criterion met or waived",
                tone="ok",
                link=link,
                passed=True,
            )
        )
    else:
        lead = "BAD in production, readiness no longer holds" if in_production else "Not ready"
        for number, refusal in enumerate(state.refusals, start=1):
            items.append(
                item(
                    f"readiness:refusal:{number}",
                    f"{lead}: {refusal}",
                    tone="bad" if in_production else "info",
                    link=link,
                    passed=False,
                )
            )
    if state.current is not None:
        approved = sum(
            1 for s in state.current.signoffs if s.signoff.decision == SignOffDecision.APPROVED
        )
        items.append(
            item(
                "readiness:round",
                f"Readiness review round {state.current.review.round}: {approved} of "
                f"{len(state.current.signoffs)} roles approved",
                link=link,
                approved=approved,
            )
        )
    return section(
        "readiness", "Production readiness", items, empty="Nothing about readiness this week."
    )
