"""The portfolio API: the dashboard's rows with its filters and sort, paginated, and what
changed since a moment."""

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.errors import NotAllowed
from programmes.selectors import is_leadership, person_of

from .changes import changes_since, last_monday
from .dashboard import dashboard_view
from .exports import row_record
from .models import DigestPreference
from .serializers import (
    ChangesQuerySerializer,
    DigestPreferenceSerializer,
    PortfolioQuerySerializer,
    PortfolioRowSerializer,
    ProgrammeChangesSerializer,
)
from .services import set_digest_preference


class PortfolioPagination(PageNumberPagination):
    """A page of the portfolio: 50 rows unless ``page_size`` asks for up to 1,000."""

    page_size_query_param = "page_size"
    max_page_size = 1000


class PortfolioView(ListAPIView[Any]):
    serializer_class = PortfolioRowSerializer
    pagination_class = PortfolioPagination

    @extend_schema(
        description=(
            "The dashboard's rows for the programmes you may see, worst first by the risk order "
            "(docs/dashboard.md), with the dashboard's filters and sort."
        ),
        parameters=[PortfolioQuerySerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = PortfolioQuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        view = dashboard_view(request.user, dt.datetime.now(dt.UTC), given.validated_data)
        page = self.paginate_queryset(view.rows)  # type: ignore[arg-type]
        return self.get_paginated_response([row_record(row) for row in page or []])


class PortfolioChangesView(ListAPIView[Any]):
    serializer_class = ProgrammeChangesSerializer
    pagination_class = PortfolioPagination

    @extend_schema(
        description=(
            "What changed in each programme you may see since `since` (default: the start of "
            "this Monday, UTC): stage changes, RAG changes, incidents opened and resolved, stop "
            "conditions tripped and decided, weekly reviews held and missed, readiness sign-offs "
            "given and expired. Programmes with no change are left out."
        ),
        parameters=[ChangesQuerySerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ChangesQuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        now = dt.datetime.now(dt.UTC)
        since = given.validated_data.get("since") or last_monday(now, "UTC")
        view = dashboard_view(request.user, now, {})
        found = changes_since([row.programme for row in view.rows], since, now)
        answer = [
            {
                "slug": row.programme.slug,
                "name": row.programme.name,
                "changes": [change.__dict__ for change in found[row.programme.pk]],
            }
            for row in view.rows
            if found[row.programme.pk]
        ]
        page = self.paginate_queryset(answer)  # type: ignore[arg-type]
        return self.get_paginated_response(page or [])


class DigestPreferenceView(APIView):
    """The caller's own Monday digest choice; there is no way to name another person's."""

    @staticmethod
    def _current(request: Request) -> dict[str, bool]:
        person = person_of(request.user)
        if person is None or not is_leadership(request.user):
            raise NotAllowed("Only a leader with a directory entry receives the Monday digest.")
        preference = DigestPreference.objects.filter(person=person).first()
        return {"only_when_attention": bool(preference and preference.only_when_attention)}

    @extend_schema(
        description="Your Monday digest: every week, or only when something needs attention.",
        responses={200: DigestPreferenceSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(self._current(request))

    @extend_schema(
        description="Choose whether your Monday digest comes only when something needs attention.",
        request=DigestPreferenceSerializer,
        responses={200: DigestPreferenceSerializer},
    )
    def put(self, request: Request) -> Response:
        self._current(request)
        given = DigestPreferenceSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        set_digest_preference(
            user=request.user, only_when_attention=given.validated_data["only_when_attention"]
        )
        return Response(self._current(request))
