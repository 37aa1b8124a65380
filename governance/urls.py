"""Governance's pages."""

from django.urls import path

from .views import stop_conditions

urlpatterns = [
    path(
        "programmes/<slug:slug>/stop-conditions/",
        stop_conditions.stop_conditions,
        name="stop-conditions",
    ),
    path(
        "programmes/<slug:slug>/stop-conditions/policy/",
        stop_conditions.stop_policy,
        name="stop-policy",
    ),
    path(
        "programmes/<slug:slug>/stop-conditions/<int:condition_id>/",
        stop_conditions.stop_condition_detail,
        name="stop-condition-detail",
    ),
    path(
        "programmes/<slug:slug>/stop-conditions/<int:condition_id>/approve/",
        stop_conditions.stop_condition_approve,
        name="stop-condition-approve",
    ),
    path(
        "programmes/<slug:slug>/stop-conditions/<int:condition_id>/decide/",
        stop_conditions.stop_condition_decide,
        name="stop-condition-decide",
    ),
]
