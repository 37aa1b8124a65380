"""REST API for on-call: rotations under a programme, who is on call, schedules, overrides, cover
requests, time off, handoffs and calendar feed tokens."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.api_pages import paginated
from programmes.errors import NotAllowed
from programmes.selectors import get_programme_for_user, person_of

from . import handoffs, selectors, services
from .access import require_may_change_rotations
from .calendar_feed import calendar_feed_url
from .models import CalendarFeedToken, CoverRequest, Handoff, Override, Rotation, TimeOff
from .serializers import (
    CalendarFeedTokenSerializer,
    CoverRequestSerializer,
    HandoffAcknowledgeSerializer,
    HandoffNotesSerializer,
    HandoffSerializer,
    IssuedCalendarFeedSerializer,
    OnCallNowSerializer,
    OverrideSerializer,
    RotationInputSerializer,
    RotationSerializer,
    ScheduleRangeSerializer,
    ScheduleSerializer,
    SegmentSerializer,
    TimeOffSerializer,
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


def _feed_url(name: str, object_id: int, key: str) -> str:
    return calendar_feed_url(name, object_id, key)


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
            "url": _feed_url("rotation-calendar", rotation.pk, key),
        }
        return Response(issued, status=status.HTTP_201_CREATED)


class OnCallNowView(APIView):
    """Who is on call now, and next, on every rotation the caller may see."""

    @extend_schema(responses={200: OnCallNowSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rotations = list(selectors.visible_rotations(request.user))
        answers = selectors.on_call_now(rotations, timezone.now())
        return Response(OnCallNowSerializer(answers, many=True).data)


class OverrideViewSet(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Override],
):
    """One override; editors move it (PATCH/PUT, overlaps refused) or remove it (DELETE)."""

    serializer_class = OverrideSerializer

    def get_queryset(self) -> QuerySet[Override]:
        rotations = selectors.visible_rotations(self.request.user)
        return Override.objects.filter(rotation__in=rotations).select_related(
            "person", "rotation__programme"
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        override = self.get_object()
        _, access = selectors.get_rotation_for_user(request.user, override.rotation_id)
        given = OverrideSerializer(
            override, data=request.data, partial=kwargs.get("partial", False)
        )
        given.is_valid(raise_exception=True)
        updated = services.update_override(
            actor=request.user, override=override, access=access, **given.validated_data
        )
        return Response(OverrideSerializer(updated).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        override = self.get_object()
        _, access = selectors.get_rotation_for_user(request.user, override.rotation_id)
        services.delete_override(actor=request.user, override=override, access=access)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CoverRequestViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[CoverRequest]):
    """One cover request; another member accepts it, the requester cancels it."""

    serializer_class = CoverRequestSerializer

    def get_queryset(self) -> QuerySet[CoverRequest]:
        rotations = selectors.visible_rotations(self.request.user)
        return CoverRequest.objects.filter(rotation__in=rotations).select_related(
            "requester", "accepted_by", "rotation__programme"
        )

    @extend_schema(request=None, responses={200: CoverRequestSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """Take the requested stretch yourself: it becomes your override."""
        cover = self.get_object()
        services.accept_cover(actor=request.user, cover=cover, person=person_of(request.user))
        return Response(CoverRequestSerializer(self.get_queryset().get(pk=cover.pk)).data)

    @extend_schema(request=None, responses={200: CoverRequestSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        cover = self.get_object()
        _, access = selectors.get_rotation_for_user(request.user, cover.rotation_id)
        services.cancel_cover(actor=request.user, cover=cover, access=access)
        return Response(CoverRequestSerializer(cover).data)


class HandoffViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet[Handoff]
):
    """One handoff: the outgoing engineer's notes (PATCH) and the acknowledgement."""

    serializer_class = HandoffSerializer

    def get_queryset(self) -> QuerySet[Handoff]:
        rotations = selectors.visible_rotations(self.request.user)
        return Handoff.objects.filter(rotation__in=rotations).select_related(
            "outgoing", "incoming", "acknowledged_by__person", "rotation__programme"
        )

    @extend_schema(request=HandoffNotesSerializer, responses={200: HandoffSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        handoff = self.get_object()
        _, access = selectors.get_rotation_for_user(request.user, handoff.rotation_id)
        given = HandoffNotesSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        handoffs.save_handoff_notes(
            actor=request.user, handoff=handoff, access=access, notes=given.validated_data["notes"]
        )
        return Response(HandoffSerializer(self.get_queryset().get(pk=handoff.pk)).data)

    @extend_schema(request=HandoffAcknowledgeSerializer, responses={200: HandoffSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """“I have it”: the incoming engineer takes the shift, from 15 minutes before it; the
        on-call lead or a programme owner may acknowledge for them with ``on_behalf`` and a
        reason."""
        handoff = self.get_object()
        _, access = selectors.get_rotation_for_user(request.user, handoff.rotation_id)
        given = HandoffAcknowledgeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        handoffs.acknowledge_handoff(
            actor=request.user, handoff=handoff, access=access, **given.validated_data
        )
        return Response(HandoffSerializer(self.get_queryset().get(pk=handoff.pk)).data)


class TimeOffViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[TimeOff],
):
    """Periods away of the people on rotations you can see, and your own. Recording one turns
    the person's shifts in it into gaps and asks the other members for cover."""

    serializer_class = TimeOffSerializer

    def get_queryset(self) -> QuerySet[TimeOff]:
        return selectors.visible_time_off(self.request.user).order_by("-start")

    def perform_create(self, serializer: serializers.BaseSerializer[TimeOff]) -> None:
        fields = dict(serializer.validated_data)
        person = fields.pop("person", None) or person_of(self.request.user)
        if person is None:
            raise serializers.ValidationError(
                {"person_id": ["Your account is not linked to a person; name whose time off."]}
            )
        serializer.instance = services.record_time_off(
            actor=self.request.user, person=person, **fields
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        time_off = self.get_object()
        if not request.user.is_staff and person_of(request.user) != time_off.person:
            raise NotAllowed("Only the person themselves (or staff) can remove their time off.")
        services.delete_time_off(actor=request.user, time_off=time_off)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyCalendarFeedsView(APIView):
    """Calendar subscription links to your own shifts across every rotation."""

    def _person(self, request: Request) -> Any:
        person = person_of(request.user)
        if person is None:
            raise serializers.ValidationError(
                {"non_field_errors": ["Your account is not linked to a person in the directory."]}
            )
        return person

    @extend_schema(responses={200: CalendarFeedTokenSerializer(many=True)})
    def get(self, request: Request) -> Response:
        tokens = self._person(request).feed_tokens.all()
        return Response(CalendarFeedTokenSerializer(tokens, many=True).data)

    @extend_schema(request=None, responses={201: IssuedCalendarFeedSerializer})
    def post(self, request: Request) -> Response:
        person = self._person(request)
        token, key = services.issue_feed_token(actor=request.user, person=person)
        issued = {
            **CalendarFeedTokenSerializer(token).data,
            "url": _feed_url("person-calendar", person.pk, key),
        }
        return Response(issued, status=status.HTTP_201_CREATED)


class CalendarFeedRevokeView(APIView):
    """Revoke a calendar link: its URL answers 404 from then on."""

    @extend_schema(request=None, responses={200: CalendarFeedTokenSerializer})
    def delete(self, request: Request, token_id: int) -> Response:
        rotations = selectors.visible_rotations(request.user)
        me = person_of(request.user)
        mine = (
            CalendarFeedToken.objects.filter(person=me) if me else CalendarFeedToken.objects.none()
        )
        token = get_object_or_404(
            CalendarFeedToken.objects.filter(rotation__in=rotations) | mine, pk=token_id
        )
        access = None
        if token.rotation is not None:
            _, access = selectors.get_rotation_for_user(request.user, token.rotation.pk)
        revoked = services.revoke_feed_token(actor=request.user, token=token, access=access)
        return Response(CalendarFeedTokenSerializer(revoked).data)
