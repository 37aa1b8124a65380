from django.urls import path

from . import feeds, handoff_views, incident_views, views

urlpatterns = [
    path("programmes/<slug:slug>/incidents/", incident_views.incident_list, name="incident-list"),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/",
        incident_views.incident_detail,
        name="incident-detail",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/status/",
        incident_views.incident_status,
        name="incident-status",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/notes/",
        incident_views.incident_note,
        name="incident-note",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/serious/",
        incident_views.incident_serious,
        name="incident-serious",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/reported/",
        incident_views.incident_reported,
        name="incident-reported",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/postmortem/",
        incident_views.incident_postmortem,
        name="incident-postmortem",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/actions/",
        incident_views.incident_action,
        name="incident-action",
    ),
    path(
        "programmes/<slug:slug>/incidents/<int:incident_id>/actions/<int:action_id>/",
        incident_views.incident_action_status,
        name="incident-action-status",
    ),
    path("programmes/<slug:slug>/runbooks/", incident_views.runbook_list, name="runbook-list"),
    path(
        "programmes/<slug:slug>/runbooks/<int:runbook_id>/",
        incident_views.runbook_detail,
        name="runbook-detail",
    ),
    path("programmes/<slug:slug>/oncall/", views.programme_oncall, name="programme-oncall"),
    path("programmes/<slug:slug>/oncall/new/", views.rotation_form, name="rotation-create"),
    path("oncall/time-off/", views.time_off, name="time-off"),
    path("oncall/<int:rotation_id>/", views.rotation_detail, name="rotation-detail"),
    path("oncall/<int:rotation_id>/edit/", views.rotation_form, name="rotation-edit"),
    path("oncall/<int:rotation_id>/handoff/", handoff_views.handoff_page, name="handoff"),
    path(
        "oncall/<int:rotation_id>/handoffs/<int:handoff_id>/notes/",
        handoff_views.handoff_notes,
        name="handoff-notes",
    ),
    path(
        "oncall/<int:rotation_id>/handoffs/<int:handoff_id>/acknowledge/",
        handoff_views.handoff_acknowledge,
        name="handoff-acknowledge",
    ),
    path("oncall/<int:rotation_id>/overrides/", views.override_create, name="override-create"),
    path(
        "oncall/<int:rotation_id>/overrides/<int:override_id>/delete/",
        views.override_delete,
        name="override-delete",
    ),
    path("oncall/<int:rotation_id>/cover/", views.cover_request_create, name="cover-create"),
    path(
        "oncall/<int:rotation_id>/cover/<int:cover_id>/accept/",
        views.cover_request_accept,
        name="cover-accept",
    ),
    path("oncall/<int:rotation_id>/calendar-feeds/", views.feed_create, name="feed-create"),
    path(
        "oncall/<int:rotation_id>/calendar-feeds/<int:token_id>/revoke/",
        views.feed_revoke,
        name="feed-revoke",
    ),
    path(
        "oncall/rotations/<int:rotation_id>/calendar.ics",
        feeds.rotation_calendar,
        name="rotation-calendar",
    ),
    path(
        "oncall/people/<int:person_id>/calendar.ics",
        feeds.person_calendar,
        name="person-calendar",
    ),
]
