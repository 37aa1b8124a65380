"""Cover requests: accepted or cancelled (they are asked on their rotation)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from programmes.selectors import person_of

from .. import selectors, services
from ..models import CoverRequest
from ..serializers import (
    CoverRequestSerializer,
)


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
