"""The notification kinds on-call sends."""

from programmes.registry.notification_kinds import register_kind

SHIFT_SOON = register_kind(
    "shift_soon", label="Your shift starts in an hour", programme_channel=False
)
HANDOFF = register_kind("handoff", label="Handoff now", programme_channel=False)
HANDOFF_UNACKNOWLEDGED = register_kind(
    "handoff_unacknowledged", label="Handoff not acknowledged", programme_channel=True
)
ROTATION_GAP = register_kind("rotation_gap", label="Nobody on call", programme_channel=True)
ROTATION_CHANGED = register_kind(
    "rotation_changed", label="Your on-call shifts moved", programme_channel=False
)
COVER_REQUEST = register_kind("cover_request", label="Cover requested", programme_channel=True)
COVER_ACCEPTED = register_kind("cover_accepted", label="Cover accepted", programme_channel=False)
