"""One paginated answer for an API action that lists something other than its view's model."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response


def paginated(
    view: GenericAPIView[Any],
    queryset: QuerySet[Any],
    serializer_class: type[serializers.BaseSerializer[Any]],
    **context: Any,
) -> Response:
    """``queryset`` as the view's paginated list (`count`, `next`, `previous`, `results`)."""
    page = view.paginate_queryset(queryset)
    data = serializer_class(
        page, many=True, context={**view.get_serializer_context(), **context}
    ).data
    return view.get_paginated_response(data)
