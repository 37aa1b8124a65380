"""The notification kinds incidents send."""

from programmes.registry.notification_kinds import register_kind

INCIDENT_OPENED = register_kind(
    "incident_opened", label="Incident: you are the responder", programme_channel=True
)
INCIDENT_ESCALATED = register_kind(
    "incident_escalated", label="Incident not acknowledged", programme_channel=True
)
POSTMORTEM_DUE = register_kind("postmortem_due", label="Postmortem due", programme_channel=True)
ACTIONS_OVERDUE = register_kind(
    "actions_overdue", label="Overdue actions (daily digest)", programme_channel=False
)
REPORT_DEADLINE = register_kind(
    "report_deadline", label="Serious-incident report deadline", programme_channel=True
)
