"""REST API for incidents: under a programme, with status actions, timeline, postmortem and its
actions, runbooks, measures, and the Alertmanager webhook."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.api_pages import paginated
from programmes.models import ApiToken, ProgrammeToken
from programmes.selectors import get_programme_for_user, visible_programmes

from . import rules, selectors, services
from .models import ActionItem, Incident, Postmortem, Runbook
from .rules import NotAlertmanager
from .serializers import (
    ActionItemSerializer,
    ActionStatusSerializer,
    AlertmanagerPayloadSerializer,
    AlertmanagerResultSerializer,
    IncidentFilterSerializer,
    IncidentInputSerializer,
    IncidentMeasuresSerializer,
    IncidentSerializer,
    IncidentWindowSerializer,
    NoteSerializer,
    PostmortemSerializer,
    RunbookSerializer,
    SeriousSerializer,
    StatusChangeSerializer,
    TimelineEntrySerializer,
)


def _incident(request: Request, incident_id: int) -> tuple[Incident, Any]:
    incident = (
        Incident.objects.filter(programme__in=visible_programmes(request.user), pk=incident_id)
        .select_related("programme", "responder")
        .first()
    )
    if incident is None:
        raise Http404("No such incident.")
    return selectors.get_incident_for_user(request.user, incident.programme.slug, incident.pk)


class ProgrammeIncidentsView(GenericAPIView[Incident]):
    """A programme's incidents, newest first, filtered by status, severity and opening time;
    POST opens one (and pages whoever is on call on the primary rotation)."""

    serializer_class = IncidentSerializer

    @extend_schema(
        parameters=[IncidentFilterSerializer], responses={200: IncidentSerializer(many=True)}
    )
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        given = IncidentFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        rows = selectors.programme_incidents(programme).order_by("-opened_at", "-id")
        filters = given.validated_data
        if "status" in filters:
            rows = rows.filter(status=filters["status"])
        if "severity" in filters:
            rows = rows.filter(severity=filters["severity"])
        if "since" in filters:
            rows = rows.filter(opened_at__gte=filters["since"])
        if "until" in filters:
            rows = rows.filter(opened_at__lt=filters["until"])
        return paginated(self, rows, IncidentSerializer)

    @extend_schema(request=IncidentInputSerializer, responses={201: IncidentSerializer})
    def post(self, request: Request, slug: str) -> Response:
        programme, access = get_programme_for_user(request.user, slug)
        given = IncidentInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        incident = services.open_incident(
            actor=request.user,
            programme=programme,
            access=access,
            source="api",
            **given.validated_data,
        )
        return Response(
            IncidentSerializer(incident, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class IncidentView(APIView):
    """One incident; editors, owners and the responder change it with PATCH."""

    @extend_schema(responses={200: IncidentSerializer})
    def get(self, request: Request, incident_id: int) -> Response:
        incident, _ = _incident(request, incident_id)
        return Response(IncidentSerializer(incident, context={"request": request}).data)

    @extend_schema(request=IncidentInputSerializer, responses={200: IncidentSerializer})
    def patch(self, request: Request, incident_id: int) -> Response:
        incident, access = _incident(request, incident_id)
        given = IncidentInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changed = services.update_incident(
            actor=request.user, incident=incident, access=access, **given.validated_data
        )
        return Response(IncidentSerializer(changed, context={"request": request}).data)


class IncidentStatusView(APIView):
    """Acknowledge, mitigate, resolve, or (with a reason) reopen an incident."""

    @extend_schema(request=StatusChangeSerializer, responses={200: IncidentSerializer})
    def post(self, request: Request, incident_id: int) -> Response:
        incident, access = _incident(request, incident_id)
        given = StatusChangeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        changed = services.change_status(
            actor=request.user, incident=incident, access=access, **given.validated_data
        )
        return Response(IncidentSerializer(changed, context={"request": request}).data)


class IncidentTimelineView(GenericAPIView[Any]):
    """The incident's timeline in time order; POST adds a note (Markdown)."""

    serializer_class = TimelineEntrySerializer

    @extend_schema(responses={200: TimelineEntrySerializer(many=True)})
    def get(self, request: Request, incident_id: int) -> Response:
        incident, _ = _incident(request, incident_id)
        return paginated(self, selectors.incident_timeline(incident), TimelineEntrySerializer)

    @extend_schema(request=NoteSerializer, responses={201: TimelineEntrySerializer})
    def post(self, request: Request, incident_id: int) -> Response:
        incident, access = _incident(request, incident_id)
        given = NoteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        entry = services.add_note(
            actor=request.user, incident=incident, access=access, text=given.validated_data["text"]
        )
        return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class IncidentSeriousView(APIView):
    """Mark the incident serious (EU AI Act): the reporting clock starts."""

    @extend_schema(request=SeriousSerializer, responses={200: IncidentSerializer})
    def post(self, request: Request, incident_id: int) -> Response:
        incident, access = _incident(request, incident_id)
        given = SeriousSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        marked = services.mark_serious(
            actor=request.user, incident=incident, access=access, kind=given.validated_data["kind"]
        )
        return Response(IncidentSerializer(marked, context={"request": request}).data)


class IncidentReportedView(APIView):
    """Record that a serious incident was reported to the authority: its clock stops."""

    @extend_schema(request=None, responses={200: IncidentSerializer})
    def post(self, request: Request, incident_id: int) -> Response:
        incident, access = _incident(request, incident_id)
        reported = services.mark_reported(actor=request.user, incident=incident, access=access)
        return Response(IncidentSerializer(reported, context={"request": request}).data)


class IncidentPostmortemView(APIView):
    """The incident's postmortem: POST starts one (SEV1/SEV2 get one when resolved), PATCH
    writes it (`complete: true` marks it done)."""

    def _postmortem(self, incident: Incident) -> Postmortem:
        postmortem = Postmortem.objects.filter(incident=incident).first()
        if postmortem is None:
            raise Http404("This incident has no postmortem yet; POST starts one.")
        return postmortem

    @extend_schema(responses={200: PostmortemSerializer})
    def get(self, request: Request, incident_id: int) -> Response:
        incident, _ = _incident(request, incident_id)
        return Response(PostmortemSerializer(self._postmortem(incident)).data)

    @extend_schema(request=None, responses={201: PostmortemSerializer, 200: PostmortemSerializer})
    def post(self, request: Request, incident_id: int) -> Response:
        """Start the postmortem: 201 when started, 200 when it already existed."""
        incident, access = _incident(request, incident_id)
        existed = Postmortem.objects.filter(incident=incident).exists()
        postmortem = services.start_postmortem(actor=request.user, incident=incident, access=access)
        answer = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(PostmortemSerializer(postmortem).data, status=answer)

    @extend_schema(request=PostmortemSerializer, responses={200: PostmortemSerializer})
    def patch(self, request: Request, incident_id: int) -> Response:
        incident, access = _incident(request, incident_id)
        given = PostmortemSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        postmortem = services.update_postmortem(
            actor=request.user,
            postmortem=self._postmortem(incident),
            access=access,
            **given.validated_data,
        )
        return Response(PostmortemSerializer(postmortem).data)


class PostmortemActionsView(APIView):
    """Add an action item (title, owner, due date) to the incident's postmortem."""

    @extend_schema(request=ActionItemSerializer, responses={201: ActionItemSerializer})
    def post(self, request: Request, incident_id: int) -> Response:
        incident, access = _incident(request, incident_id)
        postmortem = IncidentPostmortemView()._postmortem(incident)
        given = ActionItemSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        action = services.add_action(
            actor=request.user,
            postmortem=postmortem,
            access=access,
            title=given.validated_data["title"],
            owner=given.validated_data.get("owner"),
            due_on=given.validated_data.get("due_on"),
        )
        return Response(ActionItemSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionItemView(APIView):
    """Mark an action item done (or open again): its owner, or an editor."""

    @extend_schema(request=ActionStatusSerializer, responses={200: ActionItemSerializer})
    def patch(self, request: Request, action_id: int) -> Response:
        action = get_object_or_404(
            ActionItem.objects.filter(
                postmortem__incident__programme__in=visible_programmes(request.user)
            ).select_related("postmortem__incident__programme", "owner"),
            pk=action_id,
        )
        _, access = get_programme_for_user(request.user, action.postmortem.incident.programme.slug)
        given = ActionStatusSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        changed = services.set_action_status(
            actor=request.user, action=action, access=access, status=given.validated_data["status"]
        )
        return Response(ActionItemSerializer(changed).data)


class ProgrammeRunbooksView(GenericAPIView[Any]):
    """A programme's runbooks; editors add one with POST."""

    serializer_class = RunbookSerializer

    @extend_schema(responses={200: RunbookSerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        return paginated(self, programme.runbooks.select_related("programme"), RunbookSerializer)

    @extend_schema(request=RunbookSerializer, responses={201: RunbookSerializer})
    def post(self, request: Request, slug: str) -> Response:
        programme, access = get_programme_for_user(request.user, slug)
        given = RunbookSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        runbook = services.save_runbook(
            actor=request.user, programme=programme, access=access, **given.validated_data
        )
        return Response(RunbookSerializer(runbook).data, status=status.HTTP_201_CREATED)


class RunbookView(APIView):
    def _runbook(self, request: Request, runbook_id: int) -> tuple[Runbook, Any]:
        runbook = get_object_or_404(
            Runbook.objects.filter(programme__in=visible_programmes(request.user)).select_related(
                "programme"
            ),
            pk=runbook_id,
        )
        _, access = get_programme_for_user(request.user, runbook.programme.slug)
        return runbook, access

    @extend_schema(responses={200: RunbookSerializer})
    def get(self, request: Request, runbook_id: int) -> Response:
        runbook, _ = self._runbook(request, runbook_id)
        return Response(RunbookSerializer(runbook).data)

    @extend_schema(request=RunbookSerializer, responses={200: RunbookSerializer})
    def patch(self, request: Request, runbook_id: int) -> Response:
        runbook, access = self._runbook(request, runbook_id)
        given = RunbookSerializer(runbook, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        saved = services.save_runbook(
            actor=request.user,
            programme=runbook.programme,
            access=access,
            runbook=runbook,
            title=given.validated_data.get("title", runbook.title),
            body=given.validated_data.get("body", runbook.body),
        )
        return Response(RunbookSerializer(saved).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, runbook_id: int) -> Response:
        runbook, access = self._runbook(request, runbook_id)
        services.delete_runbook(actor=request.user, runbook=runbook, access=access)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IncidentMeasuresView(APIView):
    @extend_schema(
        description=(
            "MTTA and MTTR per severity, and incidents per harm category, over a window "
            f"(default: the\nlast {rules.MEASURE_WINDOW.days} days)."
        ),
        parameters=[IncidentWindowSerializer],
        responses={200: IncidentMeasuresSerializer},
    )
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        given = IncidentWindowSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        until = given.validated_data.get("until") or timezone.now()
        since = given.validated_data.get("since") or until - rules.MEASURE_WINDOW
        if since >= until:
            raise serializers.ValidationError({"until": ["`until` must come after `since`."]})
        found = selectors.incident_measures(programme, since, until)
        return Response(
            {
                "since": found.since,
                "until": found.until,
                "by_severity": [row.__dict__ for row in found.by_severity],
                "by_harm": [list(pair) for pair in found.by_harm],
            }
        )


class AlertmanagerWebhookView(APIView):
    """Prometheus Alertmanager's webhook (version 4), authenticated by the programme token in
    the URL (scope `alertmanager`). Firing opens or adds to an incident; repeats change nothing;
    resolved moves the incident to mitigated."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=AlertmanagerPayloadSerializer,
        responses={200: AlertmanagerResultSerializer},
        auth=[],
    )
    def post(self, request: Request, token: str) -> Response:
        row = (
            ProgrammeToken.objects.select_related("programme")
            .filter(
                key_hash=ApiToken.hash_key(token),
                revoked_at__isnull=True,
                scope=ProgrammeToken.Scope.ALERTMANAGER,
            )
            .first()
        )
        if row is None:
            raise Http404("No such webhook.")
        ProgrammeToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        try:
            result = services.receive_alertmanager(
                programme=row.programme, token_name=row.name, payload=request.data
            )
        except NotAlertmanager as refusal:
            return Response(
                {"non_field_errors": [str(refusal)]}, status=status.HTTP_400_BAD_REQUEST
            )
        incident = result["incident"]
        return Response(
            {
                "incident": incident.pk if incident else None,
                "created": result["created"],
                "recorded": result["recorded"],
            }
        )
