"""The notification kinds the portfolio sends."""

from programmes.registry.notification_kinds import register_kind

PORTFOLIO_DIGEST = register_kind(
    "portfolio_digest", label="Monday portfolio digest", programme_channel=False
)
