"""Governance's REST API, mounted under /api/v1/."""

from django.urls import path

from .api import reviews

urlpatterns = [
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
