"""Incident pages: the programme's incidents, one incident with its timeline and postmortem, and
the programme's runbooks."""

from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<slug:slug>/incidents/", views.incident_list, name="incident-list"),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/",
        views.incident_detail,
        name="incident-detail",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/status/",
        views.incident_status,
        name="incident-status",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/notes/",
        views.incident_note,
        name="incident-note",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/serious/",
        views.incident_serious,
        name="incident-serious",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/reported/",
        views.incident_reported,
        name="incident-reported",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/postmortem/",
        views.incident_postmortem,
        name="incident-postmortem",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/actions/",
        views.incident_action,
        name="incident-action",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/actions/<int:action_id>/",
        views.incident_action_status,
        name="incident-action-status",
    ),
    path("programmes/<slug:slug>/runbooks/", views.runbook_list, name="runbook-list"),
    path(
        "programmes/<slug:slug>/runbooks/<int:runbook_id>/",
        views.runbook_detail,
        name="runbook-detail",
    ),
]
