"""Governance's REST API, mounted under /api/v1/."""

from django.urls import path

from .api import stop_conditions

urlpatterns = [
    path(
        "programmes/<slug:slug>/stop-policy/",
        stop_conditions.StopPolicyView.as_view(),
        name="api-stop-policy",
    ),
    path(
        "programmes/<slug:slug>/stop-conditions/",
        stop_conditions.ProgrammeStopConditionsView.as_view(),
        name="api-programme-stop-conditions",
    ),
    path(
        "programmes/<slug:slug>/stop-conditions/dry-run/",
        stop_conditions.StopConditionDryRunView.as_view(),
        name="api-stop-condition-dry-run",
    ),
    path(
        "stop-conditions/<int:condition_id>/",
        stop_conditions.StopConditionView.as_view(),
        name="api-stop-condition",
    ),
    path(
        "stop-conditions/<int:condition_id>/versions/",
        stop_conditions.StopConditionVersionsView.as_view(),
        name="api-stop-condition-versions",
    ),
    path(
        "stop-conditions/<int:condition_id>/approvals/",
        stop_conditions.StopConditionApprovalsView.as_view(),
        name="api-stop-condition-approvals",
    ),
    path(
        "stop-conditions/<int:condition_id>/trips/",
        stop_conditions.StopConditionTripsView.as_view(),
        name="api-stop-condition-trips",
    ),
    path(
        "stop-conditions/<int:condition_id>/decisions/",
        stop_conditions.StopConditionDecisionsView.as_view(),
        name="api-stop-condition-decisions",
    ),
]
