from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "oncall"
    verbose_name = "On-call"

    def ready(self) -> None:
        from programmes.registry.panels import register_panel
        from programmes.registry.tabs import register_tab

        from . import rotation_checks
        from .panels import overview_on_call

        rotation_checks.connect()

        register_tab(key="oncall", label="On-call", url_name="programme-oncall", order=30)
        register_panel(
            slot="programme-overview",
            key="on-call",
            order=10,
            template="oncall/programme_oncall.html#overview_on_call",
            context=overview_on_call,
        )
