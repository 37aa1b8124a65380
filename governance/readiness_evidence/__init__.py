"""Evidence Keel checks itself for readiness criteria: ``facts`` reads what the other apps hold
for many programmes in a fixed number of queries, ``checks`` judges each fact as a plain
function."""

from .checks import CHECKS, Evidence, ProgrammeFacts, judge
from .facts import programme_facts

__all__ = ["CHECKS", "Evidence", "ProgrammeFacts", "judge", "programme_facts"]
