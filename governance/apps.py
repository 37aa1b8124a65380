from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from programmes.models import Programme
        from programmes.registry.overdue_actions import register_overdue_source
        from programmes.registry.tabs import register_tab

        from .review_selectors import overdue_review_actions
        from .signals import follow_cadence

        register_tab(
            key="reviews",
            label="Reviews",
            url_name="review-list",
            order=20,
            active_for=("review-detail", "review-minutes"),
        )
        register_overdue_source("review-actions", overdue_review_actions)
        post_save.connect(follow_cadence, sender=Programme, dispatch_uid="review-series-cadence")
