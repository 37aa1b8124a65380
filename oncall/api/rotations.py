"""Rotations: under a programme, one by one with their schedule and calendar link, and who is on
call now across the caller's programmes."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from programmes.api_pages import paginated
from programmes.api_pagination import RowPages
from programmes.selectors import get_programme_for_user, person_of

from .. import oncall_now, selectors, services
from ..access import require_may_change_rotations
from ..calendar_feed import calendar_feed_url
from ..models import Rotation
from ..serializers import (
    CalendarFeedTokenSerializer,
    CoverRequestSerializer,
    HandoffSerializer,
    IssuedCalendarFeedSerializer,
    OnCallNowSerializer,
    OverrideSerializer,
    RotationInputSerializer,
    RotationSerializer,
    ScheduleRangeSerializer,
    ScheduleSerializer,
    SegmentSerializer,
)


def _people_context(rotations: list[Rotation]) -> dict[str, Any]:
    ids = {
        pid
        for rotation in rotations
        for version in selectors.versions_of(rotation)[-1:]
        for pid in version.member_ids
    }
    return {"people": selectors.people_by_id(ids)}


def _rotation_page(view: GenericAPIView[Rotation]) -> Response:
    """The view's rotations, paginated, with their members' names loaded in one query."""
    page = view.paginate_queryset(view.get_queryset())
    assert page is not None
    context = {**view.get_serializer_context(), **_people_context(page)}
    return view.get_paginated_response(RotationSerializer(page, many=True, context=context).data)


def _service_input(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    if "timezone" in fields:
        fields["timezone_name"] = fields.pop("timezone")
    return fields


class ProgrammeRotationsView(generics.ListCreateAPIView[Rotation]):
    """A programme's rotations. Editors and owners add rotations with POST."""

    serializer_class = RotationSerializer

    def get_queryset(self) -> QuerySet[Rotation]:
        programme, _ = get_programme_for_user(self.request.user, self.kwargs["slug"])
        return selectors.programme_rotations(programme)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _rotation_page(self)

    @extend_schema(request=RotationInputSerializer, responses={201: RotationSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme, access = get_programme_for_user(request.user, self.kwargs["slug"])
        given = RotationInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        rotation = services.create_rotation(
            actor=request.user,
            programme=programme,
            access=access,
            **_service_input(given.validated_data),
        )
        fresh, _ = selectors.get_rotation_for_user(request.user, rotation.pk)
        return Response(
            RotationSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    partial_update=extend_schema(
        request=RotationInputSerializer, responses={200: RotationSerializer}
    )
)
class RotationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Rotation],
):
    """Rotations of every programme the caller may see."""

    serializer_class = RotationSerializer

    def get_queryset(self) -> QuerySet[Rotation]:
        return selectors.visible_rotations(self.request.user)

    def _rotation(self) -> Any:
        return selectors.get_rotation_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _rotation_page(self)

    @extend_schema(request=RotationInputSerializer, responses={200: RotationSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rotation, access = self._rotation()
        require_may_change_rotations(access)
        given = RotationInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        given.is_valid(raise_exception=True)
        services.update_rotation(
            actor=request.user,
            rotation=rotation,
            access=access,
            **_service_input(given.validated_data),
        )
        fresh, _ = selectors.get_rotation_for_user(request.user, rotation.pk)
        return Response(self.get_serializer(fresh).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rotation, access = self._rotation()
        services.delete_rotation(actor=request.user, rotation=rotation, access=access)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: OnCallNowSerializer})
    @action(detail=True, methods=["get"], url_path="oncall-now")
    def oncall_now(self, request: Request, pk: str) -> Response:
        """Who is on call on this rotation now, and who is next."""
        rotation, _ = self._rotation()
        answer = selectors.on_call_now([rotation], timezone.now())[0]
        return Response(OnCallNowSerializer(answer).data)

    @extend_schema(parameters=[ScheduleRangeSerializer], responses={200: ScheduleSerializer})
    @action(detail=True, methods=["get"])
    def schedule(self, request: Request, pk: str) -> Response:
        """The final shifts (rotation, overrides, time off) and gaps over [start, end)."""
        rotation, _ = self._rotation()
        given = ScheduleRangeSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        found = selectors.schedule_for(
            rotation, given.validated_data["start"], given.validated_data["end"]
        )
        context = {"people": found.people}
        return Response(
            {
                "start": found.start,
                "end": found.end,
                "shifts": SegmentSerializer(found.segments, many=True, context=context).data,
                "gaps": SegmentSerializer(found.gaps, many=True, context=context).data,
                "hours": [
                    {"person": found.people[pid].name, "person_id": pid, "hours": round(hours, 2)}
                    for pid, hours in sorted(found.hours.items())
                ],
            }
        )

    @extend_schema(methods=["GET"], request=None, responses={200: OverrideSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=OverrideSerializer, responses={201: OverrideSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def overrides(self, request: Request, pk: str) -> Response:
        """The rotation's overrides; editors add one with POST (overlaps are refused)."""
        rotation, access = self._rotation()
        if request.method == "GET":
            overrides = selectors.rotation_overrides(rotation).order_by("-start")
            return paginated(self, overrides, OverrideSerializer)
        given = OverrideSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        override = services.create_override(
            actor=request.user, rotation=rotation, access=access, **given.validated_data
        )
        return Response(OverrideSerializer(override).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], request=None, responses={200: CoverRequestSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"], request=CoverRequestSerializer, responses={201: CoverRequestSerializer}
    )
    @action(detail=True, methods=["get", "post"], url_path="cover-requests")
    def cover_requests(self, request: Request, pk: str) -> Response:
        """“Cover me” requests; POST asks the other members to cover a stretch."""
        rotation, access = self._rotation()
        if request.method == "GET":
            return paginated(
                self, selectors.rotation_cover_requests(rotation), CoverRequestSerializer
            )
        given = CoverRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        requester = fields.pop("requester", None) or person_of(request.user)
        if requester is None:
            raise serializers.ValidationError(
                {"requester_id": ["Your account is not linked to a person; name the requester."]}
            )
        cover = services.request_cover(
            actor=request.user, rotation=rotation, access=access, requester=requester, **fields
        )
        return Response(CoverRequestSerializer(cover).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: HandoffSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def handoffs(self, request: Request, pk: str) -> Response:
        """The rotation's handoffs, newest first."""
        rotation, _ = self._rotation()
        rows = selectors.rotation_handoffs(rotation).order_by("-starts_at")
        return paginated(self, rows, HandoffSerializer)

    @extend_schema(
        methods=["GET"], request=None, responses={200: CalendarFeedTokenSerializer(many=True)}
    )
    @extend_schema(methods=["POST"], request=None, responses={201: IssuedCalendarFeedSerializer})
    @action(detail=True, methods=["get", "post"], url_path="calendar-feeds")
    def calendar_feeds(self, request: Request, pk: str) -> Response:
        """Calendar subscription links of the rotation; POST creates one, shown once."""
        rotation, _ = self._rotation()
        if request.method == "GET":
            return paginated(self, rotation.feed_tokens.all(), CalendarFeedTokenSerializer)
        token, key = services.issue_feed_token(actor=request.user, rotation=rotation)
        issued = {
            **CalendarFeedTokenSerializer(token).data,
            "url": calendar_feed_url("rotation-calendar", rotation.pk, key),
        }
        return Response(issued, status=status.HTTP_201_CREATED)


class OnCallNowView(GenericAPIView[Rotation]):
    """Who is on call now, and next, on every rotation the caller may see, a page at a time
    (``page_size`` up to 1,000)."""

    serializer_class = OnCallNowSerializer
    pagination_class = RowPages

    def get_queryset(self) -> Any:
        return oncall_now.visible_rotation_rows(self.request.user)

    @extend_schema(responses={200: OnCallNowSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rows: Any = self.paginate_queryset(oncall_now.PlainPages(request.user))  # type: ignore[arg-type]
        assert rows is not None
        answers = oncall_now.on_call_now_data(rows, timezone.now()) if rows else []
        return self.get_paginated_response(answers)
