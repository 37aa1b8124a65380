"""Governance's pages."""

from django.urls import path

from .views import readiness, review_minutes, reviews, stop_conditions

urlpatterns = [
    path("programmes/<slug:slug>/reviews/", reviews.review_list, name="review-list"),
    path(
        "programmes/<slug:slug>/reviews/<int:review_id>/",
        reviews.review_detail,
        name="review-detail",
    ),
    path(
        "programmes/<slug:slug>/reviews/<int:review_id>/minutes/",
        review_minutes.review_minutes,
        name="review-minutes",
    ),
    path(
        "programmes/<slug:slug>/reviews/<int:review_id>/minutes.md",
        review_minutes.review_minutes_markdown,
        name="review-minutes-markdown",
    ),
    *(
        path(
            f"programmes/<slug:slug>/reviews/<int:review_id>/{suffix}/",
            view,
            name=f"review-{suffix}",
        )
        for suffix, view in (
            ("start", reviews.review_start),
            ("hold", reviews.review_hold),
            ("cancel", reviews.review_cancel),
            ("move", reviews.review_move),
            ("attendance", reviews.review_attendance),
            ("notes", reviews.review_notes),
            ("decision", reviews.review_decision),
            ("action", reviews.review_action),
            ("change", reviews.review_change),
        )
    ),
    path(
        "programmes/<slug:slug>/reviews/<int:review_id>/actions/<int:action_id>/",
        reviews.review_action_status,
        name="review-action-status",
    ),
    path("programmes/<slug:slug>/readiness/", readiness.readiness_page, name="readiness"),
    path(
        "programmes/<slug:slug>/readiness/definition/",
        readiness.definition_write,
        name="readiness-definition",
    ),
    path(
        "programmes/<slug:slug>/readiness/definition/<int:version_id>/agree/",
        readiness.definition_agree,
        name="readiness-agree",
    ),
    path(
        "programmes/<slug:slug>/readiness/criteria/",
        readiness.criterion_add,
        name="readiness-criterion-add",
    ),
    path(
        "programmes/<slug:slug>/readiness/criteria/defaults/",
        readiness.criteria_defaults,
        name="readiness-defaults",
    ),
    path(
        "programmes/<slug:slug>/readiness/criteria/<int:criterion_id>/",
        readiness.criterion_change,
        name="readiness-criterion",
    ),
    path(
        "programmes/<slug:slug>/readiness/criteria/<int:criterion_id>/waive/",
        readiness.criterion_waive,
        name="readiness-waive",
    ),
    path(
        "programmes/<slug:slug>/readiness/reviews/",
        readiness.review_open,
        name="readiness-review-open",
    ),
    path(
        "programmes/<slug:slug>/readiness/sign-offs/<int:signoff_id>/<str:action>/",
        readiness.signoff_action,
        name="readiness-signoff",
    ),
    path(
        "programmes/<slug:slug>/readiness/statement/",
        readiness.statement,
        name="readiness-statement",
    ),
    path(
        "programmes/<slug:slug>/readiness/statement.md",
        readiness.statement_download,
        name="readiness-statement-md",
    ),
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
