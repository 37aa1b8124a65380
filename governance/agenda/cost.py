"""Section 6: unit economics against the cost envelope."""

from typing import Any

from scorecards import selectors as scorecard_selectors

from .. import review_rules
from .context import AgendaContext, item, section


def cost(ctx: AgendaContext) -> dict[str, Any]:
    economics = scorecard_selectors.unit_economics_of(ctx.programme, ctx.metrics)
    currency = ctx.programme.cost_currency
    items = []

    def money(value: Any) -> str:
        return "not known" if value is None else f"{review_rules.plain(value)} {currency}"

    envelope = ctx.programme.cost_envelope
    if economics.cost_per_task is not None:
        items.append(item("cost:per-task", f"Cost per task: {money(economics.cost_per_task)}"))
    if economics.current_monthly_cost is not None or economics.projected_monthly_cost is not None:
        items.append(
            item(
                "cost:monthly",
                f"{'BAD' if economics.breached else 'OK'} monthly cost: "
                f"{money(economics.current_monthly_cost)} now, "
                f"{money(economics.projected_monthly_cost)} projected vs envelope "
                f"{money(envelope)}",
                tone="bad" if economics.breached else "ok",
                current_monthly_cost=None
                if economics.current_monthly_cost is None
                else str(economics.current_monthly_cost),
                projected_monthly_cost=None
                if economics.projected_monthly_cost is None
                else str(economics.projected_monthly_cost),
                envelope=None if envelope is None else str(envelope),
                breached=economics.breached,
            )
        )
    if envelope is None:
        items.append(item("cost:no-envelope", "No cost envelope set", tone="warn"))
    return section("cost", "Cost", items, empty="No cost or volume measured yet.")
