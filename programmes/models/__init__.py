"""The base every Keel app points at, one module per noun: people, programmes and their owners,
memberships, audit events, tokens, the notification outbox and job runs."""

from .audit import (
    AuditEvent,
)
from .job_runs import (
    JobLease,
    JobRun,
)
from .memberships import (
    Membership,
    Role,
)
from .notifications import (
    Channel,
    DeliveryAttempt,
    Notification,
    NotificationPreference,
    NotificationStatus,
)
from .people import (
    Person,
)
from .programmes import (
    ACTIVE_STAGES,
    OWNER_FIELDS,
    OWNER_ROLES,
    REQUIRED_OWNERS,
    Programme,
    Stage,
    StageTransition,
    Weekday,
)
from .tokens import (
    ApiToken,
    ProgrammeToken,
)
from .validators import (
    mask_secret,
    validate_timezone,
    validate_webhook_url,
)

__all__ = [
    "ACTIVE_STAGES",
    "OWNER_FIELDS",
    "OWNER_ROLES",
    "REQUIRED_OWNERS",
    "ApiToken",
    "AuditEvent",
    "Channel",
    "DeliveryAttempt",
    "JobLease",
    "JobRun",
    "Membership",
    "Notification",
    "NotificationPreference",
    "NotificationStatus",
    "Person",
    "Programme",
    "ProgrammeToken",
    "Role",
    "Stage",
    "StageTransition",
    "Weekday",
    "mask_secret",
    "validate_timezone",
    "validate_webhook_url",
]
