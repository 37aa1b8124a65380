from django.urls import path

from . import feeds, handoff_views, views

urlpatterns = [
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
