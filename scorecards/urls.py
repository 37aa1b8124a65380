from django.urls import path

from . import views

urlpatterns = [
    path("programmes/<slug:slug>/scorecard/", views.scorecard, name="scorecard"),
    path("programmes/<slug:slug>/scorecard/metrics/new/", views.metric_form, name="metric-create"),
    path(
        "programmes/<slug:slug>/scorecard/metrics/<int:metric_id>/",
        views.metric_detail,
        name="metric-detail",
    ),
    path(
        "programmes/<slug:slug>/scorecard/metrics/<int:metric_id>/edit/",
        views.metric_form,
        name="metric-edit",
    ),
    path(
        "programmes/<slug:slug>/scorecard/metrics/<int:metric_id>/measurements/",
        views.add_measurement,
        name="measurement-add",
    ),
    path(
        "programmes/<slug:slug>/scorecard/metrics/<int:metric_id>/upload/",
        views.upload_measurements,
        name="measurement-upload",
    ),
    path(
        "programmes/<slug:slug>/scorecard/metrics/<int:metric_id>/assess/",
        views.assess,
        name="metric-assess",
    ),
    path(
        "programmes/<slug:slug>/scorecard/metrics/<int:metric_id>/promote-baseline/",
        views.promote_baseline,
        name="metric-promote-baseline",
    ),
]
