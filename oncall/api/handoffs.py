"""Handoffs: their notes, and acknowledging that the incoming engineer has the pager."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .. import handoffs, selectors
from ..models import Handoff
from ..serializers import (
    HandoffAcknowledgeSerializer,
    HandoffNotesSerializer,
    HandoffSerializer,
)


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
