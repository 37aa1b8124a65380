from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "oncall"
    verbose_name = "On-call"

    def ready(self) -> None:
        from programmes.registry.tabs import register_tab

        register_tab(key="oncall", label="On-call", url_name="programme-oncall", order=30)
        register_tab(key="incidents", label="Incidents", url_name="incident-list", order=40)
        register_tab(
            key="runbooks",
            label="Runbooks",
            url_name="runbook-list",
            order=45,
            active_for=("runbook-detail",),
        )
