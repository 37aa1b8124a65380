"""Time off: recorded, listed and removed by the person away (or staff)."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from programmes.errors import NotAllowed
from programmes.selectors import person_of

from .. import selectors, services
from ..models import TimeOff
from ..serializers import (
    TimeOffSerializer,
)


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
