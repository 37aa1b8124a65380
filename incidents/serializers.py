"""API shapes for incidents, their timeline and postmortems, runbooks and incident measures."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from programmes.api_input import QueryDateTimeField
from programmes.models import Person
from programmes.serializers import PersonSummarySerializer
from scorecards.models import Metric

from .models import (
    ActionItem,
    ActionStatus,
    HarmCategory,
    Incident,
    IncidentStatus,
    Postmortem,
    Runbook,
    SeriousKind,
    Severity,
    TimelineEntry,
)


class IncidentInputSerializer(serializers.Serializer[Any]):
    """What a client sends to open or change an incident."""

    title = serializers.CharField(max_length=200)
    severity = serializers.ChoiceField(choices=Severity.choices)
    description = serializers.CharField(required=False, allow_blank=True)
    impact = serializers.CharField(required=False, allow_blank=True)
    model_version = serializers.CharField(max_length=200, required=False, allow_blank=True)
    evaluation_run = serializers.CharField(max_length=200, required=False, allow_blank=True)
    harm_category = serializers.ChoiceField(
        choices=HarmCategory.choices, required=False, allow_blank=True
    )
    metric = serializers.PrimaryKeyRelatedField[Metric](
        queryset=Metric.objects.all(), required=False, allow_null=True
    )
    runbook = serializers.PrimaryKeyRelatedField[Runbook](
        queryset=Runbook.objects.all(), required=False, allow_null=True
    )


class IncidentSerializer(serializers.ModelSerializer[Incident]):
    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)
    responder = PersonSummarySerializer(read_only=True)
    url = serializers.SerializerMethodField()
    report_due_in_hours = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "url",
            "programme",
            "title",
            "severity",
            "status",
            "source",
            "fingerprint",
            "responder",
            "description",
            "impact",
            "model_version",
            "evaluation_run",
            "harm_category",
            "metric",
            "runbook",
            "opened_at",
            "acknowledged_at",
            "mitigated_at",
            "resolved_at",
            "serious_kind",
            "serious_since",
            "report_due_at",
            "report_due_in_hours",
            "reported_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_url(self, incident: Incident) -> str:
        path = reverse("api-incident", kwargs={"incident_id": incident.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_report_due_in_hours(self, incident: Incident) -> float | None:
        """Hours left on the serious-incident reporting clock (negative when late)."""
        if incident.report_due_at is None or incident.reported_at is not None:
            return None
        return round((incident.report_due_at - timezone.now()).total_seconds() / 3600, 1)


class IncidentWindowSerializer(serializers.Serializer[Any]):
    since = QueryDateTimeField(required=False, help_text="Opened at or after.")
    until = QueryDateTimeField(required=False, help_text="Opened before.")


class IncidentFilterSerializer(IncidentWindowSerializer):
    status = serializers.ChoiceField(choices=IncidentStatus.choices, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)


class StatusChangeSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=IncidentStatus.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Needed to move an incident back (reopen it).",
    )


class TimelineEntrySerializer(serializers.ModelSerializer[TimelineEntry]):
    author = serializers.CharField(source="author_label", read_only=True)

    class Meta:
        model = TimelineEntry
        fields = ["id", "at", "kind", "author", "text", "payload"]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=20000, help_text="Markdown.")


class SeriousSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=SeriousKind.choices)


class ActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    owner = PersonSummarySerializer(read_only=True)
    owner_id = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(), source="owner", write_only=True, allow_null=True
    )

    class Meta:
        model = ActionItem
        fields = ["id", "title", "owner", "owner_id", "due_on", "status", "done_at"]
        read_only_fields = ["id", "status", "done_at"]
        extra_kwargs = {"due_on": {"allow_null": True}}


class ActionStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class PostmortemSerializer(serializers.ModelSerializer[Postmortem]):
    actions = ActionItemSerializer(many=True, read_only=True)
    complete = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="Mark the postmortem complete."
    )

    class Meta:
        model = Postmortem
        fields = [
            "summary",
            "contributing_factors",
            "went_well",
            "due_on",
            "completed_at",
            "actions",
            "complete",
        ]
        read_only_fields = ["due_on", "completed_at", "actions"]


class RunbookSerializer(serializers.ModelSerializer[Runbook]):
    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)

    class Meta:
        model = Runbook
        fields = ["id", "programme", "title", "body", "updated_at"]
        read_only_fields = ["id", "programme", "updated_at"]
        validators: list[Any] = []


class MeasureRowSerializer(serializers.Serializer[Any]):
    severity = serializers.CharField(help_text="sev1–sev4, or `all`.")
    count = serializers.IntegerField()
    mtta_minutes = serializers.FloatField(allow_null=True)
    mttr_minutes = serializers.FloatField(allow_null=True)


class IncidentMeasuresSerializer(serializers.Serializer[Any]):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    by_severity = MeasureRowSerializer(many=True)
    by_harm = serializers.ListField(child=serializers.ListField())


ALERT_STATUSES = [("firing", "Firing"), ("resolved", "Resolved")]


class AlertSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ALERT_STATUSES)
    labels = serializers.DictField(child=serializers.CharField())
    annotations = serializers.DictField(child=serializers.CharField(), required=False)
    startsAt = serializers.CharField(required=False)
    endsAt = serializers.CharField(required=False)
    fingerprint = serializers.CharField(required=False)


class AlertmanagerPayloadSerializer(serializers.Serializer[Any]):
    """Alertmanager's webhook body (version 4), as the schema shows it; the webhook reads it
    with ``incident_rules.parse_alertmanager``. Labels and annotations are strings; the field
    names are Alertmanager's."""

    version = serializers.CharField(help_text='"4"')
    groupKey = serializers.CharField()
    status = serializers.ChoiceField(choices=ALERT_STATUSES)
    alerts = AlertSerializer(many=True)
    groupLabels = serializers.DictField(child=serializers.CharField(), required=False)
    commonLabels = serializers.DictField(child=serializers.CharField(), required=False)
    commonAnnotations = serializers.DictField(child=serializers.CharField(), required=False)
    receiver = serializers.CharField(required=False)
    externalURL = serializers.CharField(required=False)


class AlertmanagerResultSerializer(serializers.Serializer[Any]):
    incident = serializers.IntegerField(allow_null=True)
    created = serializers.BooleanField()
    recorded = serializers.BooleanField(help_text="False when this notification was seen before.")
