"""API routes for incidents, runbooks and the Alertmanager webhook (under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "programmes/<slug:slug>/incidents/",
        api.ProgrammeIncidentsView.as_view(),
        name="api-programme-incidents",
    ),
    path(
        "programmes/<slug:slug>/incident-measures/",
        api.IncidentMeasuresView.as_view(),
        name="api-incident-measures",
    ),
    path(
        "programmes/<slug:slug>/runbooks/",
        api.ProgrammeRunbooksView.as_view(),
        name="api-programme-runbooks",
    ),
    path("incidents/<int:incident_id>/", api.IncidentView.as_view(), name="api-incident"),
    path(
        "incidents/<int:incident_id>/status/",
        api.IncidentStatusView.as_view(),
        name="api-incident-status",
    ),
    path(
        "incidents/<int:incident_id>/timeline/",
        api.IncidentTimelineView.as_view(),
        name="api-incident-timeline",
    ),
    path(
        "incidents/<int:incident_id>/serious/",
        api.IncidentSeriousView.as_view(),
        name="api-incident-serious",
    ),
    path(
        "incidents/<int:incident_id>/reported/",
        api.IncidentReportedView.as_view(),
        name="api-incident-reported",
    ),
    path(
        "incidents/<int:incident_id>/postmortem/",
        api.IncidentPostmortemView.as_view(),
        name="api-incident-postmortem",
    ),
    path(
        "incidents/<int:incident_id>/postmortem/actions/",
        api.PostmortemActionsView.as_view(),
        name="api-postmortem-actions",
    ),
    path("incident-actions/<int:action_id>/", api.ActionItemView.as_view(), name="api-action-item"),
    path("runbooks/<int:runbook_id>/", api.RunbookView.as_view(), name="api-runbook"),
    path(
        "integrations/alertmanager/<str:token>/",
        api.AlertmanagerWebhookView.as_view(),
        name="api-alertmanager",
    ),
]
