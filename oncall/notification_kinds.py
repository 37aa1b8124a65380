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

INCIDENT_OPENED = register_kind(
    "incident_opened", label="Incident: you are the responder", programme_channel=True
)
INCIDENT_ESCALATED = register_kind(
    "incident_escalated", label="Incident not acknowledged", programme_channel=True
)
POSTMORTEM_DUE = register_kind("postmortem_due", label="Postmortem due", programme_channel=True)
ACTIONS_OVERDUE = register_kind(
    "actions_overdue", label="Overdue incident actions", programme_channel=False
)
REPORT_DEADLINE = register_kind(
    "report_deadline", label="Serious-incident report deadline", programme_channel=True
)
