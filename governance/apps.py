from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from programmes.models import Stage
        from programmes.registry.data_changes import listen_to_data_changes
        from programmes.registry.panels import register_panel
        from programmes.registry.stage_gates import register_stage_gate
        from programmes.registry.tabs import register_tab

        from .readiness_gate import pilot_verdict_panel, production_refusal, readiness_flag
        from .services.stop_condition_evaluation import programme_data_changed
        from .stop_condition_panels import overview_stop_conditions

        register_tab(
            key="readiness",
            label="Readiness",
            url_name="readiness",
            order=50,
            active_for=("readiness-statement",),
        )
        register_stage_gate(
            to_stage=Stage.PRODUCTION, name="readiness-review", check=production_refusal
        )
        register_panel(
            slot="programme-header",
            key="readiness-flag",
            order=10,
            template="governance/readiness/flag.html",
            context=readiness_flag,
        )
        register_panel(
            slot="programme-overview",
            key="pilot-verdict",
            order=50,
            template="governance/readiness/verdict_panel.html",
            context=pilot_verdict_panel,
        )
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
