"""The weekly review's agenda, built from the programme's live data for the period since the
previous held review: a list of section builders, each a function of one ``AgendaContext``
returning one section of plain values (so the same shape is shown live, frozen as the review's
snapshot, served by the API and written into the minutes)."""

from .build import SECTION_BUILDERS, agenda_for, build_agenda, decision_items
from .context import AgendaContext

__all__ = ["SECTION_BUILDERS", "AgendaContext", "agenda_for", "build_agenda", "decision_items"]
