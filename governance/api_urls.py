"""Governance's REST API, mounted under /api/v1/."""

from django.urls import path

from .api import readiness, reviews, stop_conditions

urlpatterns = [
    path(
        "programmes/<slug:slug>/readiness/",
        readiness.ReadinessView.as_view(),
        name="api-readiness",
    ),
    path(
        "programmes/<slug:slug>/readiness/definitions/",
        readiness.DefinitionVersionsView.as_view(),
        name="api-readiness-definitions",
    ),
    path(
        "programmes/<slug:slug>/readiness/criteria/",
        readiness.CriteriaView.as_view(),
        name="api-readiness-criteria",
    ),
    path(
        "programmes/<slug:slug>/readiness/criteria/defaults/",
        readiness.DefaultCriteriaView.as_view(),
        name="api-readiness-default-criteria",
    ),
    path(
        "programmes/<slug:slug>/readiness/reviews/",
        readiness.ReviewsView.as_view(),
        name="api-readiness-reviews",
    ),
    path(
        "programmes/<slug:slug>/pilot-verdict/",
        readiness.PilotVerdictView.as_view(),
        name="api-pilot-verdict",
    ),
    path(
        "readiness/definitions/<int:version_id>/agree/",
        readiness.DefinitionAgreementView.as_view(),
        name="api-readiness-agree",
    ),
    path(
        "readiness/criteria/<int:criterion_id>/",
        readiness.CriterionView.as_view(),
        name="api-readiness-criterion",
    ),
    path(
        "readiness/criteria/<int:criterion_id>/waivers/",
        readiness.CriterionWaiversView.as_view(),
        name="api-readiness-waivers",
    ),
    path(
        "readiness/sign-offs/<int:signoff_id>/",
        readiness.SignOffView.as_view(),
        name="api-readiness-signoff",
    ),
    path(
        "readiness/sign-offs/<int:signoff_id>/sign/",
        readiness.SignView.as_view(),
        name="api-readiness-sign",
    ),
    path(
        "readiness/sign-offs/<int:signoff_id>/reattest/",
        readiness.ReattestView.as_view(),
        name="api-readiness-reattest",
    ),
    path(
        "readiness/sign-offs/<int:signoff_id>/withdraw/",
        readiness.WithdrawView.as_view(),
        name="api-readiness-withdraw",
    ),
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
    path(
        "programmes/<slug:slug>/reviews/",
        reviews.ProgrammeReviewsView.as_view(),
        name="api-programme-reviews",
    ),
    path(
        "programmes/<slug:slug>/action-items/",
        reviews.ProgrammeActionItemsView.as_view(),
        name="api-programme-action-items",
    ),
    path("reviews/<int:review_id>/", reviews.ReviewView.as_view(), name="api-review"),
    *(
        path(f"reviews/<int:review_id>/{suffix}/", view.as_view(), name=f"api-review-{suffix}")
        for suffix, view in (
            ("start", reviews.ReviewStartView),
            ("hold", reviews.ReviewHoldView),
            ("cancel", reviews.ReviewCancelView),
            ("move", reviews.ReviewMoveView),
            ("notes", reviews.ReviewNotesView),
            ("attendance", reviews.ReviewAttendanceView),
            ("decisions", reviews.ReviewDecisionsView),
            ("actions", reviews.ReviewActionsView),
            ("upcoming-changes", reviews.ReviewChangesView),
        )
    ),
    path(
        "action-items/<int:action_id>/", reviews.ActionItemView.as_view(), name="api-action-items"
    ),
]
