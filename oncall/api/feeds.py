"""Calendar feed tokens: the caller's own, and revoking one."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.selectors import person_of

from .. import selectors, services
from ..calendar_feed import calendar_feed_url
from ..models import CalendarFeedToken
from ..serializers import (
    CalendarFeedTokenSerializer,
    IssuedCalendarFeedSerializer,
)


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
            "url": calendar_feed_url("person-calendar", person.pk, key),
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
