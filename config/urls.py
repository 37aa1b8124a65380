"""Keel's URLs: pages, the REST API under /api/v1/, its schema and docs, and health probes."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from oncall.api import (
    CalendarFeedRevokeView,
    CoverRequestViewSet,
    HandoffViewSet,
    MyCalendarFeedsView,
    OnCallNowView,
    OverrideViewSet,
    ProgrammeRotationsView,
    RotationViewSet,
    TimeOffViewSet,
)
from programmes.api import (
    NotificationPreferencesView,
    NotificationViewSet,
    PersonViewSet,
    ProgrammeViewSet,
    TokenView,
)
from programmes.api_router import ApiRouter
from scorecards.api import MetricViewSet, ProgrammeMetricsView, ProgrammeScorecardView

from . import health, metrics

# Pages get Keel's layout; paths under /api/ get JSON.
handler400 = "programmes.api_errors.bad_request"
handler404 = "programmes.api_errors.not_found"
handler500 = "config.errors.server_error"

api = ApiRouter()
api.register("programmes", ProgrammeViewSet, basename="api-programme")
api.register("people", PersonViewSet, basename="api-person")
api.register("notifications", NotificationViewSet, basename="api-notification")
api.register("metrics", MetricViewSet, basename="api-metric")
api.register("rotations", RotationViewSet, basename="api-rotation")
api.register("overrides", OverrideViewSet, basename="api-override")
api.register("cover-requests", CoverRequestViewSet, basename="api-cover-request")
api.register("handoffs", HandoffViewSet, basename="api-handoff")
api.register("time-off", TimeOffViewSet, basename="api-time-off")

urlpatterns = [
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path(
        "api/v1/me/notification-preferences/",
        NotificationPreferencesView.as_view(),
        name="api-notification-preferences",
    ),
    path(
        "api/v1/programmes/<slug:slug>/metrics/",
        ProgrammeMetricsView.as_view(),
        name="api-programme-metrics",
    ),
    path(
        "api/v1/programmes/<slug:slug>/scorecard/",
        ProgrammeScorecardView.as_view(),
        name="api-programme-scorecard",
    ),
    path(
        "api/v1/programmes/<slug:slug>/rotations/",
        ProgrammeRotationsView.as_view(),
        name="api-programme-rotations",
    ),
    path("api/v1/oncall-now/", OnCallNowView.as_view(), name="api-oncall-now"),
    path("api/v1/me/calendar-feeds/", MyCalendarFeedsView.as_view(), name="api-my-calendar-feeds"),
    path(
        "api/v1/calendar-feeds/<int:token_id>/",
        CalendarFeedRevokeView.as_view(),
        name="api-calendar-feed",
    ),
    path("api/v1/", include("incidents.api_urls")),
    path("api/v1/", include("governance.api_urls")),
    path("api/v1/", include("portfolio.api_urls")),
    path("api/v1/", include(api.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script for the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("portfolio.urls")),
    path("", include("scorecards.urls")),
    path("", include("incidents.urls")),
    path("", include("governance.urls")),
    path("", include("oncall.urls")),
    path("", include("programmes.urls")),
]
