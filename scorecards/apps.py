from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = "Scorecards"

    def ready(self) -> None:
        from programmes.registry.tabs import register_tab

        register_tab(key="scorecard", label="Scorecard", url_name="scorecard", order=10)
