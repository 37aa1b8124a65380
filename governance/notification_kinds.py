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
