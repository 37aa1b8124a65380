from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from programmes.registry.data_changes import listen_to_data_changes
        from programmes.registry.panels import register_panel
        from programmes.registry.tabs import register_tab

        from .services.stop_condition_evaluation import programme_data_changed
        from .stop_condition_panels import overview_stop_conditions

        register_tab(
            key="stop-conditions",
            label="Stop conditions",
            url_name="stop-conditions",
            order=60,
            active_for=("stop-condition-detail",),
        )
        register_panel(
            slot="programme-overview",
            key="stop-conditions",
            order=30,
            template="governance/stop_conditions/overview_panel.html",
            context=overview_stop_conditions,
        )
        listen_to_data_changes("governance.stop_conditions", programme_data_changed)
