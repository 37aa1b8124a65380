from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from programmes.registry.data_changes import listen_to_data_changes
        from programmes.registry.tabs import register_tab

        from .services.stop_condition_evaluation import programme_data_changed

        register_tab(
            key="stop-conditions",
            label="Stop conditions",
            url_name="stop-conditions",
            order=60,
            active_for=("stop-condition-detail",),
        )
        listen_to_data_changes("governance.stop_conditions", programme_data_changed)
