"""Section 8: upcoming changes, the free items owners add before the meeting."""

from typing import Any

from .context import AgendaContext, item, section


def upcoming_changes(ctx: AgendaContext) -> dict[str, Any]:
    items = [
        item(
            f"change:{change.pk}",
            change.title,
            detail=change.detail,
            added_by=change.added_by.get_username() if change.added_by else "",
        )
        for change in ctx.review.upcoming_changes.select_related("added_by")
    ]
    return section("changes", "Upcoming changes", items, empty="Nobody has added a change.")
