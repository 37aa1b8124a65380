"""API routes of the portfolio (under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("portfolio/", api.PortfolioView.as_view(), name="api-portfolio"),
    path("portfolio/changes/", api.PortfolioChangesView.as_view(), name="api-portfolio-changes"),
    path(
        "portfolio/digest-preference/",
        api.DigestPreferenceView.as_view(),
        name="api-portfolio-digest-preference",
    ),
]
