"""Section 4: on-call: handoffs of the period nobody acknowledged, the pages (incidents with a
responder), and the gaps in the schedule over the next 14 days."""

from typing import Any

from oncall import selectors as oncall_selectors
from oncall.models import Handoff

from .. import review_rules
from .context import AgendaContext, item, section


def oncall(ctx: AgendaContext) -> dict[str, Any]:
    items = []
    unacknowledged = Handoff.objects.filter(
        rotation__programme=ctx.programme,
        acknowledged_at__isnull=True,
        starts_at__gte=ctx.since,
        starts_at__lt=ctx.until,
    ).select_related("rotation", "incoming")
    for handoff in unacknowledged:
        items.append(
            item(
                f"handoff:{handoff.pk}",
                f"Handoff of {handoff.rotation.name} at {ctx.moment(handoff.starts_at)} not "
                f"acknowledged by {handoff.incoming.name if handoff.incoming else 'anyone'}",
                tone="bad",
                handoff_id=handoff.pk,
            )
        )
    pages = ctx.programme.incidents.filter(
        opened_at__gte=ctx.since, opened_at__lt=ctx.until, responder__isnull=False
    ).count()
    items.append(item("oncall:pages", f"{pages} page{'s' if pages != 1 else ''}", pages=pages))
    rotations = list(oncall_selectors.programme_rotations(ctx.programme))
    if not rotations:
        items.append(item("oncall:none", "No on-call rotation", tone="bad"))
    start, end = ctx.until, ctx.until + review_rules.GAP_HORIZON
    segments = oncall_selectors.segments_for(rotations, start, end) if rotations else {}
    for rotation in rotations:
        shown = oncall_selectors.RotationSchedule(rotation, start, end, segments[rotation.pk], {})
        for gap in shown.gaps:
            items.append(
                item(
                    f"oncall:gap:{rotation.pk}:{gap.start:%Y%m%dT%H%M}",
                    f"Gap in {rotation.name}: nobody on call from {ctx.moment(gap.start)} to "
                    f"{ctx.moment(gap.end)}",
                    tone="bad",
                    rotation_id=rotation.pk,
                    start=gap.start.isoformat(),
                    end=gap.end.isoformat(),
                )
            )
    return section("oncall", "On-call", items, empty="")
