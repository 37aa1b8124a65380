"""Overrides: read, moved and removed (they are made on their rotation)."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..models import Override
from ..serializers import (
    OverrideSerializer,
)


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
