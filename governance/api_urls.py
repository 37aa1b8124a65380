"""Governance's REST API, mounted under /api/v1/."""

from django.urls import path

from .api import readiness

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
]
