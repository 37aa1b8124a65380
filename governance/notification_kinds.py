"""The kinds of notification governance sends."""

from programmes.registry.notification_kinds import register_kind

SIGNOFF_REQUESTED = register_kind(
    "readiness_signoff_requested", label="Readiness sign-off requested", programme_channel=True
)
SIGNOFF_PENDING = register_kind(
    "readiness_signoff_pending", label="Readiness sign-off pending", programme_channel=True
)
REATTEST = register_kind(
    "readiness_reattest", label="Readiness sign-off: re-attest", programme_channel=False
)
SIGNOFF_EXPIRED = register_kind(
    "readiness_signoff_expired", label="Readiness sign-off expired", programme_channel=True
)
WAIVER_EXPIRING = register_kind(
    "readiness_waiver_expiring", label="Readiness waiver expiring", programme_channel=False
)
STOP_CONDITION_TRIPPED = register_kind(
    "stop_condition_tripped", label="Stop condition tripped", programme_channel=True
)
STOP_CONDITION_ESCALATED = register_kind(
    "stop_condition_escalated", label="Stop condition escalated", programme_channel=False
)
STOP_CONDITION_REVISIT = register_kind(
    "stop_condition_revisit", label="Stop-condition decision to revisit", programme_channel=False
)
STOP_POLICY_REVISIT = register_kind(
    "stop_policy_revisit", label="Stop policy due for revisit", programme_channel=False
)
REVIEW_REMINDER = register_kind(
    "review_reminder", label="Weekly review tomorrow", programme_channel=True
)
REVIEW_MISSED = register_kind("review_missed", label="Weekly review missed", programme_channel=True)
REVIEW_MINUTES = register_kind(
    "review_minutes", label="Weekly review minutes", programme_channel=False
)
