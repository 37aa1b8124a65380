from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from programmes.models import Programme, Stage
        from programmes.registry.data_changes import listen_to_data_changes
        from programmes.registry.overdue_actions import register_overdue_source
        from programmes.registry.panels import register_panel
        from programmes.registry.stage_gates import register_stage_gate
        from programmes.registry.tabs import register_tab

        from . import review_stop_rule  # noqa: F401  (registers "N reviews missed in a row")
        from .readiness_gate import pilot_verdict_panel, production_refusal, readiness_flag
        from .readiness_notices import headline_data_changed
        from .review_selectors import overdue_review_actions
        from .services.stop_condition_evaluation import programme_data_changed
        from .signals import follow_cadence
        from .stop_condition_panels import overview_stop_conditions

        register_tab(
            key="reviews",
            label="Reviews",
            url_name="review-list",
            order=20,
            active_for=("review-detail", "review-minutes"),
        )
        register_overdue_source("review-actions", overdue_review_actions)
        post_save.connect(follow_cadence, sender=Programme, dispatch_uid="review-series-cadence")
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
        listen_to_data_changes("governance.readiness", headline_data_changed)
