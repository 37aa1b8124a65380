"""The notification kinds the base sends."""

from programmes.registry.notification_kinds import register_kind

REGRESSION_WORK = register_kind(
    "regression_work", label="Monthly regression work", programme_channel=True
)
OWNERSHIP_GAP = register_kind("ownership_gap", label="Missing named owners", programme_channel=True)
DELIVERY_FAILED = register_kind(
    "delivery_failed", label="A message could not be delivered", programme_channel=True
)
