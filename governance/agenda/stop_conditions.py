"""Section 5: the programme's stop conditions, each with its state and distance to tripping
(from ``condition_standings``, the one read every page shares); a tripped one is an item the
meeting must decide, a written-only one a yes/no question."""

from typing import Any

from django.urls import reverse

from ..models import ConditionState, Reading
from ..selectors.stop_conditions import condition_standings
from .context import AgendaContext, item, section

_TONES: dict[str, str] = {
    ConditionState.OK: "ok",
    ConditionState.TRIPPED: "bad",
    ConditionState.DECIDED: "warn",
}


def stop_conditions(ctx: AgendaContext) -> dict[str, Any]:
    items = []
    for standing in condition_standings([ctx.programme.pk])[ctx.programme.pk]:
        manual = standing.reading == Reading.MANUAL
        if standing.needs_decision:
            text = f"Tripped: {standing.text} — decide: continue, rescope, pause or escalate"
        elif manual:
            text = f"Has this happened? {standing.text}"
        else:
            text = f"{ConditionState(standing.state).label}: {standing.text}"
        detail = standing.distance
        if standing.tripped_at is not None:
            detail = f"tripped {ctx.moment(standing.tripped_at)}; {detail}"
        if standing.awaiting_approval:
            detail += "; a new version awaits approval"
        items.append(
            item(
                f"stop-condition:{standing.condition_id}",
                text,
                tone="warn"
                if manual and not standing.needs_decision
                else _TONES.get(standing.state, "info"),
                detail=detail.strip("; "),
                link=reverse(
                    "stop-condition-detail",
                    kwargs={"slug": ctx.programme.slug, "condition_id": standing.condition_id},
                ),
                needs_decision=standing.needs_decision,
                question=manual and not standing.needs_decision,
                condition_id=standing.condition_id,
                state=standing.state,
                reading=standing.reading,
                consequence=standing.consequence,
                distance=standing.distance,
                distance_fraction=None
                if standing.distance_fraction is None
                else str(standing.distance_fraction),
            )
        )
    return section(
        "stop_conditions",
        "Stop conditions",
        items,
        empty="The programme has no stop conditions written yet.",
    )
