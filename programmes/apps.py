from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from .registry import discover
        from .registry.tabs import register_tab

        # Every app's jobs and notification kinds, found once at start-up.
        discover()
        register_tab(key="overview", label="Overview", url_name="programme-detail", order=0)
        register_tab(
            key="notifications",
            label="Notifications",
            url_name="programme-notifications",
            order=80,
        )
        register_tab(key="audit", label="Audit", url_name="programme-audit", order=90)
