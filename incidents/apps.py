from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from programmes.registry.overdue_actions import register_overdue_source
        from programmes.registry.panels import register_panel
        from programmes.registry.tabs import register_tab

        from .jobs import overdue_incident_actions
        from .panels import shift_incidents_panel

        register_overdue_source("incident-actions", overdue_incident_actions)
        register_tab(
            key="incidents",
            label="Incidents",
            url_name="incident-list",
            order=40,
        )
        register_tab(
            key="runbooks",
            label="Runbooks",
            url_name="runbook-list",
            order=45,
            active_for=("runbook-detail",),
        )
        register_panel(
            slot="handoff",
            key="shift-incidents",
            order=10,
            template="incidents/incidents.html#handoff_panel",
            context=shift_incidents_panel,
        )
