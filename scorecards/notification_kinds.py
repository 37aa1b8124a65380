"""The notification kinds scorecards send."""

from programmes.registry.notification_kinds import register_kind

METRIC_REGRESSION = register_kind(
    "metric_regression", label="Scorecard regression", programme_channel=True
)
COST_ENVELOPE = register_kind(
    "cost_envelope", label="Cost envelope breached", programme_channel=True
)
STALE_HEADLINE = register_kind(
    "stale_headline", label="Headline metric not measured", programme_channel=True
)
