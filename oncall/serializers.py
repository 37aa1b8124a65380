"""API shapes for rotations, schedules, overrides, cover requests, time off, handoffs and
calendar feed tokens."""

import datetime as dt
from functools import lru_cache
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.api_input import QueryDateTimeField
from programmes.api_schema import LOCAL_TIME
from programmes.models import Person
from programmes.serializers import PersonSummarySerializer

from . import selectors
from .handoffs import acknowledgement_text
from .models import (
    CalendarFeedToken,
    CoverRequest,
    Handoff,
    Level,
    Override,
    Rotation,
    ShiftKind,
    TimeOff,
)


class RotationInputSerializer(serializers.Serializer[Any]):
    """What a client sends to create or change a rotation. Members are person ids, in order."""

    name = serializers.CharField(max_length=120)
    level = serializers.ChoiceField(choices=Level.choices, default=Level.PRIMARY)
    runbook_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, help_text="e.g. Europe/London")
    shift_kind = serializers.ChoiceField(choices=ShiftKind.choices)
    shift_hours = serializers.IntegerField(
        min_value=1, max_value=336, default=24, help_text="For `hours` shifts: their length."
    )
    handoff_time = serializers.TimeField(help_text="Local time of day of each handoff.")
    handoff_weekday = serializers.IntegerField(
        min_value=0, max_value=6, default=0, help_text="For weekly shifts: 0 = Monday."
    )
    start = serializers.DateField(
        help_text="The first shift starts at the first handoff on or after this date. It can "
        "change only until the rotation has started."
    )
    member_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        help_text="The people of the rotation, in the order they take shifts.",
    )


class RotationSerializer(serializers.ModelSerializer[Rotation]):
    """A rotation with its latest settings (which may take effect at the next handoff)."""

    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-rotation-detail", read_only=True)
    settings = serializers.SerializerMethodField()

    class Meta:
        model = Rotation
        fields = [
            "id",
            "url",
            "programme",
            "name",
            "level",
            "runbook_url",
            "settings",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "timezone": {"type": "string"},
                "shift_kind": {"type": "string", "enum": ShiftKind.values},
                "shift_hours": {"type": "integer"},
                "handoff_time": LOCAL_TIME,
                "handoff_weekday": {"type": "integer"},
                "members": {"type": "array", "items": {"type": "object"}},
                "effective_from": {"type": "string", "format": "date-time"},
                "started": {"type": "boolean"},
            },
        }
    )
    def get_settings(self, rotation: Rotation) -> dict[str, Any]:
        versions = selectors.version_rows(rotation)
        latest = versions[-1]
        people: dict[int, Person] = self.context.get("people") or selectors.people_by_id(
            latest.member_ids
        )
        return {
            "timezone": latest.timezone,
            "shift_kind": latest.shift_kind,
            "shift_hours": latest.shift_hours,
            "handoff_time": latest.handoff_time.isoformat(timespec="minutes"),
            "handoff_weekday": latest.handoff_weekday,
            "members": [
                PersonSummarySerializer(people[pid]).data
                for pid in latest.member_ids
                if pid in people
            ],
            "effective_from": latest.effective_from,
            "started": versions[0].effective_from <= timezone.now(),
        }


_TIME = serializers.DateTimeField()


def _person_data(people: dict[int, Person], person_id: int | None) -> dict[str, Any] | None:
    if person_id is None:
        return None
    person = people[person_id]
    return {"id": person.pk, "name": person.name, "email": person.email}


# Shift boundaries repeat across rotations and requests: each written out once per process.
@lru_cache(maxsize=65536)
def api_time(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """``moment`` as DRF's ``DateTimeField`` writes it (ISO 8601 in the current zone, ``Z`` for
    UTC), without its per-call look-ups of the zone and the format."""
    text = moment.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def segment_data(
    segment: Any, people: dict[int, Person], zone: dt.tzinfo | None = None
) -> dict[str, Any]:
    """A segment as the API shows it. Built by hand: a thousand rotations answer in one request,
    and DRF's per-field machinery would triple the time."""
    return segment_row(
        segment,
        _person_data(people, segment.person_id),
        _person_data(people, segment.planned_person_id),
        zone or timezone.get_current_timezone(),
    )


def segment_row(
    segment: Any, person: dict[str, Any] | None, planned: dict[str, Any] | None, zone: dt.tzinfo
) -> dict[str, Any]:
    """``segment_data`` with its people already written out (a caller answering for many
    rotations writes each person once)."""
    return {
        "start": api_time(segment.start, zone),
        "end": api_time(segment.end, zone),
        "person": person,
        "source": segment.source,
        "gap": segment.person_id is None,
        "planned_person": planned,
    }


class SegmentSerializer(serializers.Serializer[Any]):
    """A stretch of the final schedule (the schema; ``segment_data`` builds the answer)."""

    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    person = PersonSummarySerializer(allow_null=True)
    # The stubs type ``Serializer.source`` as Field's own attribute; here it is a field name.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=["rotation", "override"], help_text="Whether an override put them there."
    )
    gap = serializers.BooleanField(help_text="Nobody is on call.")
    planned_person = PersonSummarySerializer(
        allow_null=True, help_text="For a gap: whom the rotation had planned (on time off)."
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return segment_data(instance, self.context["people"])


class ScheduleSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    shifts = SegmentSerializer(many=True, help_text="The final shifts, gaps included.")
    gaps = SegmentSerializer(many=True)
    hours = serializers.ListField(
        child=serializers.DictField(), help_text="Hours on call per person over the window."
    )


class ScheduleRangeSerializer(serializers.Serializer[Any]):
    start = QueryDateTimeField()
    end = QueryDateTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["`end` must come after `start`."]})
        if attrs["end"] - attrs["start"] > dt.timedelta(days=400):
            raise serializers.ValidationError({"end": ["Ask for at most 400 days at a time."]})
        return attrs


class OnCallRotationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    programme = serializers.SlugField()


class OnCallNowSerializer(serializers.Serializer[Any]):
    """Who is on call on a rotation now, and next (``now`` null before the rotation starts)."""

    rotation = OnCallRotationSerializer()
    now = SegmentSerializer(allow_null=True)
    next = SegmentSerializer(allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        answer: selectors.OnCallNow = instance
        rotation = answer.rotation
        return {
            "rotation": {
                "id": rotation.pk,
                "name": rotation.name,
                "level": rotation.level,
                "programme": rotation.programme.slug,
            },
            "now": None if answer.now is None else segment_data(answer.now, answer.people),
            "next": None if answer.next is None else segment_data(answer.next, answer.people),
        }


class OverrideSerializer(serializers.ModelSerializer[Override]):
    person = PersonSummarySerializer(read_only=True)
    person_id = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), write_only=True, source="person"
    )
    rotation = serializers.PrimaryKeyRelatedField[Rotation](read_only=True)

    class Meta:
        model = Override
        fields = ["id", "rotation", "person", "person_id", "start", "end", "reason", "created_at"]
        read_only_fields = ["id", "rotation", "created_at"]
        validators: list[Any] = []


class CoverRequestSerializer(serializers.ModelSerializer[CoverRequest]):
    requester = PersonSummarySerializer(read_only=True)
    requester_id = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        write_only=True,
        source="requester",
        required=False,
        help_text="Who needs cover; yourself when left out.",
    )
    accepted_by = PersonSummarySerializer(read_only=True)
    rotation = serializers.PrimaryKeyRelatedField[Rotation](read_only=True)

    class Meta:
        model = CoverRequest
        fields = [
            "id",
            "rotation",
            "requester",
            "requester_id",
            "start",
            "end",
            "reason",
            "status",
            "accepted_by",
            "override",
            "created_at",
        ]
        read_only_fields = ["id", "rotation", "status", "accepted_by", "override", "created_at"]
        validators: list[Any] = []


class TimeOffSerializer(serializers.ModelSerializer[TimeOff]):
    person = PersonSummarySerializer(read_only=True)
    person_id = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        write_only=True,
        source="person",
        required=False,
        help_text="Whose time off; yourself when left out (staff may name anyone).",
    )

    class Meta:
        model = TimeOff
        fields = ["id", "person", "person_id", "start", "end", "note", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators: list[Any] = []


class HandoffSerializer(serializers.ModelSerializer[Handoff]):
    outgoing = PersonSummarySerializer(read_only=True)
    incoming = PersonSummarySerializer(read_only=True)
    acknowledged_by = serializers.SlugRelatedField[Any](slug_field="username", read_only=True)
    rotation = serializers.PrimaryKeyRelatedField[Rotation](read_only=True)
    acknowledgement = serializers.SerializerMethodField(
        help_text="How the page reads it: “Ben has it”, or “acknowledged for Ben by Marco "
        "Bianchi: <reason>”; null until acknowledged."
    )

    class Meta:
        model = Handoff
        fields = [
            "id",
            "rotation",
            "starts_at",
            "outgoing",
            "incoming",
            "notes",
            "notes_updated_at",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_on_behalf",
            "acknowledgement_reason",
            "acknowledgement",
        ]
        read_only_fields = [f for f in fields if f != "notes"]

    def get_acknowledgement(self, handoff: Handoff) -> str | None:
        return acknowledgement_text(handoff)


class HandoffAcknowledgeSerializer(serializers.Serializer[Any]):
    on_behalf = serializers.BooleanField(
        default=False,
        help_text="Acknowledge for the incoming engineer (the on-call lead or a programme owner "
        "only), with a reason.",
    )
    reason = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=300,
        help_text="Why you acknowledge for the incoming engineer; required with on_behalf.",
    )


class HandoffNotesSerializer(serializers.Serializer[Any]):
    notes = serializers.CharField(allow_blank=True, max_length=20000, help_text="Markdown.")


class CalendarFeedTokenSerializer(serializers.ModelSerializer[CalendarFeedToken]):
    class Meta:
        model = CalendarFeedToken
        fields = ["id", "kind", "rotation", "person", "hint", "created_at", "revoked_at"]
        read_only_fields = fields


class IssuedCalendarFeedSerializer(CalendarFeedTokenSerializer):
    url = serializers.CharField(
        read_only=True, help_text="The subscription URL, with its secret: shown once."
    )

    class Meta(CalendarFeedTokenSerializer.Meta):
        fields = [*CalendarFeedTokenSerializer.Meta.fields, "url"]
        read_only_fields = fields
