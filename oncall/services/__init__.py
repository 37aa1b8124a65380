"""Writes to on-call, one module per noun: rotations (as effective-dated versions), overrides,
cover requests, time off and calendar feed tokens. Each runs in one transaction with its audit
event and its notifications, and refuses with a ``DomainError`` whose message is fit for a user."""

from .cover import (
    accept_cover,
    cancel_cover,
    request_cover,
)
from .feeds import (
    issue_feed_token,
    revoke_feed_token,
)
from .overrides import (
    create_override,
    delete_override,
    refuse_overlap,
    update_override,
)
from .periods import (
    LOOKAHEAD,
    check_window,
    from_now,
    is_member,
    refuse_outside_schedule,
)
from .rotations import (
    PLAIN_FIELDS,
    SCHEDULE_FIELDS,
    create_rotation,
    delete_rotation,
    update_rotation,
)
from .time_off import (
    delete_time_off,
    record_time_off,
)

__all__ = [
    "LOOKAHEAD",
    "PLAIN_FIELDS",
    "SCHEDULE_FIELDS",
    "accept_cover",
    "cancel_cover",
    "check_window",
    "create_override",
    "create_rotation",
    "delete_override",
    "delete_rotation",
    "delete_time_off",
    "from_now",
    "is_member",
    "issue_feed_token",
    "record_time_off",
    "refuse_outside_schedule",
    "refuse_overlap",
    "request_cover",
    "revoke_feed_token",
    "update_override",
    "update_rotation",
]
