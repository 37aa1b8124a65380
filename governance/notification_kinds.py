"""The notification kinds governance sends."""

from programmes.registry.notification_kinds import register_kind

REVIEW_REMINDER = register_kind(
    "review_reminder", label="Weekly review tomorrow", programme_channel=True
)
REVIEW_MISSED = register_kind("review_missed", label="Weekly review missed", programme_channel=True)
REVIEW_MINUTES = register_kind(
    "review_minutes", label="Weekly review minutes", programme_channel=False
)
