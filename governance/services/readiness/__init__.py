"""Writes to readiness, one module per noun: the definition, the criteria and their waivers, the
review and its sign-offs. Each runs in one transaction with its audit event and notifications."""

from .criteria import add_criterion, grant_waiver, start_default_criteria, update_criterion
from .definitions import agree_definition, write_definition
from .reviews import open_review, reattest, sign, withdraw

__all__ = [
    "add_criterion",
    "agree_definition",
    "grant_waiver",
    "open_review",
    "reattest",
    "sign",
    "start_default_criteria",
    "update_criterion",
    "withdraw",
    "write_definition",
]
