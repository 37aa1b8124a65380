"""Pages of the base, one module per noun: programmes, their members, people, notifications and
machine tokens. Each view parses input, calls a service or selector, renders."""

from .members import (
    member_add,
    member_change,
)
from .notifications import (
    INBOX_PAGE_SIZE,
    NOTIFICATION_LOG_PAGE_SIZE,
    inbox,
    inbox_mark_all_read,
    inbox_mark_read,
    notification_preferences,
    programme_notifications,
)
from .people import (
    people_list,
    person_form,
)
from .programmes import (
    AUDIT_PAGE_SIZE,
    programme_audit,
    programme_create,
    programme_detail,
    programme_edit,
    programme_list,
    programme_transition,
)
from .tokens import (
    create_token,
    revoke_token,
)

__all__ = [
    "AUDIT_PAGE_SIZE",
    "INBOX_PAGE_SIZE",
    "NOTIFICATION_LOG_PAGE_SIZE",
    "create_token",
    "inbox",
    "inbox_mark_all_read",
    "inbox_mark_read",
    "member_add",
    "member_change",
    "notification_preferences",
    "people_list",
    "person_form",
    "programme_audit",
    "programme_create",
    "programme_detail",
    "programme_edit",
    "programme_list",
    "programme_notifications",
    "programme_transition",
    "revoke_token",
]
