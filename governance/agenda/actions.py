"""Section 1: the action items earlier reviews raised: open, overdue, and closed since last
time, each with where it came from and how many reviews it has been carried through."""

from bisect import bisect_right
from typing import Any

from django.db.models import Q

from ..models import ActionItem, ActionStatus
from .context import AgendaContext, item, section


def prior_actions(ctx: AgendaContext) -> dict[str, Any]:
    rows = (
        ActionItem.objects.filter(programme=ctx.programme)
        .exclude(raised_in=ctx.review)
        .filter(
            Q(status=ActionStatus.OPEN, created_at__lt=ctx.until)
            | Q(closed_at__gte=ctx.since, closed_at__lt=ctx.until)
        )
        .select_related("owner", "raised_in")
        .order_by("due_on", "id")
    )
    held_times = [moment for _, moment in ctx.held_before]
    today = ctx.until.astimezone(ctx.review_zone).date()
    items = []
    for action in rows:
        raised = action.raised_in.scheduled_for
        carried = bisect_right(held_times, ctx.review.scheduled_for) - bisect_right(
            held_times, raised
        )
        if action.status == ActionStatus.OPEN and action.due_on < today:
            state, tone = "overdue", "bad"
        elif action.status == ActionStatus.OPEN:
            state, tone = "open", "info"
        else:
            state, tone = action.status, "ok"
        history = f"raised at the review of {ctx.moment(raised)}"
        if carried:
            history += f"; carried over {carried} time{'s' if carried != 1 else ''}"
        if action.status == ActionStatus.DROPPED:
            history += f"; dropped: {action.drop_reason}"
        items.append(
            item(
                f"action:{action.pk}",
                f"TODO({action.owner.name}) {action.title} — due {ctx.day(action.due_on)}"
                f" [{state}]",
                tone=tone,
                detail=history,
                action_id=action.pk,
                state=state,
                owner=action.owner.name,
                due_on=action.due_on.isoformat(),
                carried_over=carried,
            )
        )
    return section("actions", "Prior action items", items, empty="No action items from before.")
