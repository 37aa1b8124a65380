from django.urls import path

from . import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/new/", views.programme_create, name="programme-create"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
    path("programmes/<slug:slug>/edit/", views.programme_edit, name="programme-edit"),
    path(
        "programmes/<slug:slug>/transition/",
        views.programme_transition,
        name="programme-transition",
    ),
    path("programmes/<slug:slug>/audit/", views.programme_audit, name="programme-audit"),
    path("programmes/<slug:slug>/tokens/", views.create_token, name="token-create"),
    path(
        "programmes/<slug:slug>/tokens/<int:token_id>/revoke/",
        views.revoke_token,
        name="token-revoke",
    ),
    path("programmes/<slug:slug>/members/", views.member_add, name="member-add"),
    path(
        "programmes/<slug:slug>/members/<int:member_id>/", views.member_change, name="member-change"
    ),
    path("people/", views.people_list, name="people-list"),
    path("people/new/", views.person_form, name="person-create"),
    path("people/<int:person_id>/edit/", views.person_form, name="person-edit"),
]

urlpatterns += [
    path(
        "programmes/<slug:slug>/notifications/",
        views.programme_notifications,
        name="programme-notifications",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_mark_all_read, name="inbox-read-all"),
    path("inbox/<int:notification_id>/read/", views.inbox_mark_read, name="inbox-read"),
    path("inbox/preferences/", views.notification_preferences, name="notification-preferences"),
]
