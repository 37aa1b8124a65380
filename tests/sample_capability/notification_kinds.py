from programmes.registry.notification_kinds import register_kind

SAMPLE_NUDGE = register_kind("sample_nudge", label="Sample nudge", programme_channel=True)
