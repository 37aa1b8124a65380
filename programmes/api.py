"""REST API for programmes, people, memberships, the audit trail and personal tokens."""

from typing import Any

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import notifications as notification_service
from . import programme_rows, selectors, services
from .access import (
    require_may_edit_programme,
    require_may_manage_members,
    require_may_manage_tokens,
)
from .api_pages import paginated
from .api_pagination import PageNumbers, RowPages
from .authentication import ApiTokenAuthentication
from .models import (
    ApiToken,
    Channel,
    Notification,
    Person,
    Programme,
)
from .registry.notification_kinds import kind_keys
from .rules import Access
from .serializers import (
    AuditEventSerializer,
    IssuedProgrammeTokenSerializer,
    MembershipInputSerializer,
    MembershipRoleSerializer,
    MembershipSerializer,
    NotificationFilterSerializer,
    NotificationPreferenceSerializer,
    NotificationSerializer,
    PersonSerializer,
    ProgrammeInputSerializer,
    ProgrammeSerializer,
    ProgrammeTokenInputSerializer,
    ProgrammeTokenSerializer,
    StageTransitionSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TransitionInputSerializer,
)


class TokenView(APIView):
    """Exchange a username and password for a personal API token, or revoke the one in use."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with the username and password given."]}
            )
        _, key = ApiToken.issue(user)
        return Response(TokenSerializer({"token": key}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            return Response(
                {"detail": "Send the token to revoke as `Authorization: Token <token>`."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    partial_update=extend_schema(
        request=ProgrammeInputSerializer, responses={200: ProgrammeSerializer}
    )
)
class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Programme],
):
    """Programmes the caller may see. Non-members get 404; viewers may read but not write."""

    lookup_field = "slug"
    serializer_class = ProgrammeSerializer

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.visible_programmes(self.request.user)

    @property
    def paginator(self) -> PageNumbers:
        """The list reads its count with its page (``RowPages``); the other lists as usual."""
        if not hasattr(self, "_paginator"):
            self._paginator = RowPages() if self.action == "list" else PageNumbers()
        return self._paginator

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows: Any = self.paginate_queryset(programme_rows.PageOfRows(request.user))  # type: ignore[arg-type]
        assert rows is not None
        return self.get_paginated_response(
            programme_rows.page_data(request, rows, self.format_kwarg)
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme, _ = self._programme_and_access()
        return Response(self.get_serializer(programme).data)

    def _programme_and_access(self) -> tuple[Programme, Access]:
        return selectors.get_programme_for_user(self.request.user, self.kwargs["slug"])

    def _show(self, programme: Programme, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh, _ = selectors.get_programme_for_user(self.request.user, programme.slug)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(request=ProgrammeInputSerializer, responses={201: ProgrammeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ProgrammeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        programme = services.create_programme(actor=request.user, **given.validated_data)
        return self._show(programme, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ProgrammeInputSerializer, responses={200: ProgrammeSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme, access = self._programme_and_access()
        require_may_edit_programme(access)
        given = ProgrammeInputSerializer(
            programme, data=request.data, partial=kwargs.get("partial", False)
        )
        given.is_valid(raise_exception=True)
        programme = services.update_programme(
            actor=request.user, programme=programme, access=access, **given.validated_data
        )
        return self._show(programme)

    @extend_schema(request=TransitionInputSerializer, responses={200: StageTransitionSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, slug: str) -> Response:
        """Move the programme to another stage, with a reason."""
        programme, access = self._programme_and_access()
        given = TransitionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        transition = services.transition_programme(
            actor=request.user,
            programme=programme,
            access=access,
            to_stage=given.validated_data["stage"],
            reason=given.validated_data["reason"],
        )
        return Response(StageTransitionSerializer(transition).data)

    @extend_schema(responses={200: StageTransitionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, slug: str) -> Response:
        """The programme's stage changes, newest first."""
        programme, _ = self._programme_and_access()
        return paginated(
            self, selectors.programme_transitions(programme), StageTransitionSerializer
        )

    @extend_schema(responses={200: AuditEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def audit(self, request: Request, slug: str) -> Response:
        """Every recorded change to the programme's data, newest first."""
        programme, _ = self._programme_and_access()
        return paginated(self, selectors.programme_audit_events(programme), AuditEventSerializer)

    @extend_schema(methods=["GET"], responses={200: MembershipSerializer(many=True)}, request=None)
    @extend_schema(
        methods=["POST"], request=MembershipInputSerializer, responses={201: MembershipSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request: Request, slug: str) -> Response:
        """Who has access to the programme; owners add members with POST."""
        programme, access = self._programme_and_access()
        if request.method == "GET":
            return paginated(self, selectors.programme_members(programme), MembershipSerializer)
        require_may_manage_members(access)
        given = MembershipInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        membership = services.add_member(
            actor=request.user,
            programme=programme,
            user=given.validated_data["username"],
            role=given.validated_data["role"],
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], request=None, responses={200: ProgrammeTokenSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=ProgrammeTokenInputSerializer,
        responses={201: IssuedProgrammeTokenSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def tokens(self, request: Request, slug: str) -> Response:
        """Programme tokens for machines such as the evaluation harness (owners only).

        The secret is in the POST answer only; Keel keeps its hash.
        """
        programme, access = self._programme_and_access()
        require_may_manage_tokens(access)
        if request.method == "GET":
            return paginated(self, selectors.programme_tokens(programme), ProgrammeTokenSerializer)
        given = ProgrammeTokenInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        token, key = services.issue_programme_token(
            actor=request.user, programme=programme, access=access, **given.validated_data
        )
        issued = {**ProgrammeTokenSerializer(token).data, "token": key}
        return Response(issued, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ProgrammeTokenSerializer})
    @action(detail=True, methods=["delete"], url_path=r"tokens/(?P<token_id>[0-9]+)")
    def token(self, request: Request, slug: str, token_id: str) -> Response:
        """Revoke a programme token (owners only). It stops working at once."""
        programme, access = self._programme_and_access()
        token = get_object_or_404(selectors.programme_tokens(programme), pk=token_id)
        revoked = services.revoke_programme_token(actor=request.user, token=token, access=access)
        return Response(ProgrammeTokenSerializer(revoked).data)

    @extend_schema(
        methods=["PATCH"], request=MembershipRoleSerializer, responses={200: MembershipSerializer}
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(detail=True, methods=["patch", "delete"], url_path=r"members/(?P<member_id>[0-9]+)")
    def member(self, request: Request, slug: str, member_id: str) -> Response:
        """Change a member's role, or remove them (owners only)."""
        programme, access = self._programme_and_access()
        membership = get_object_or_404(selectors.programme_members(programme), pk=member_id)
        if request.method == "DELETE":
            services.remove_member(actor=request.user, membership=membership, access=access)
            return Response(status=status.HTTP_204_NO_CONTENT)
        given = MembershipRoleSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.change_member_role(
            actor=request.user,
            membership=membership,
            access=access,
            role=given.validated_data["role"],
        )
        return Response(MembershipSerializer(membership).data)


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Person],
):
    """The people directory: everyone who can be named an owner. Staff and editors change it."""

    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.people_directory()

    def perform_create(self, serializer: serializers.BaseSerializer[Person]) -> None:
        serializer.instance = services.create_person(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Person]) -> None:
        assert isinstance(serializer.instance, Person)
        serializer.instance = services.update_person(
            actor=self.request.user, person=serializer.instance, **serializer.validated_data
        )


class NotificationViewSet(viewsets.ReadOnlyModelViewSet[Notification]):
    """The notification log: of the programmes the caller may see, and their own."""

    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        notifications = selectors.visible_notifications(self.request.user)
        if self.action != "list":
            return notifications
        given = NotificationFilterSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        filters = dict(given.validated_data)
        if "programme" in filters:
            programme, _ = selectors.get_programme_for_user(
                self.request.user, filters.pop("programme")
            )
            notifications = notifications.filter(programme=programme)
        return notifications.filter(**filters)

    @extend_schema(parameters=[NotificationFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        """Mark one of your own in-app notifications read."""
        notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
        notification_service.mark_read(
            person=notification.recipient, notification_ids=[notification.pk]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=notification.pk)).data)


class NotificationPreferencesView(APIView):
    """Which notifications reach the caller by email and Slack. In-app is always on."""

    def _person(self, request: Request) -> Person:
        person = selectors.person_of(request.user)
        if person is None:
            raise serializers.ValidationError(
                {"non_field_errors": ["Your account is not linked to a person in the directory."]}
            )
        return person

    @staticmethod
    def _current(person: Person) -> list[dict[str, Any]]:
        off = notification_service.switched_off(person)
        return [
            {"kind": kind, "channel": channel, "enabled": (kind, channel) not in off}
            for kind in kind_keys()
            for channel in (Channel.EMAIL, Channel.SLACK)
        ]

    @extend_schema(responses={200: NotificationPreferenceSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(self._current(self._person(request)))

    @extend_schema(
        request=NotificationPreferenceSerializer(many=True),
        responses={200: NotificationPreferenceSerializer(many=True)},
    )
    def put(self, request: Request) -> Response:
        person = self._person(request)
        given = NotificationPreferenceSerializer(data=request.data, many=True)
        given.is_valid(raise_exception=True)
        notification_service.set_preferences(
            person=person,
            choices={(row["kind"], row["channel"]): row["enabled"] for row in given.validated_data},
        )
        return Response(self._current(person))
