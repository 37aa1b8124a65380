"""API shapes for rotations, schedules, overrides, cover requests, time off, handoffs and
calendar feed tokens."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.models import Person
from programmes.serializers import PersonSummarySerializer

from . import selectors
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
                "handoff_time": {"type": "string", "format": "time"},
                "handoff_weekday": {"type": "integer"},
                "members": {"type": "array", "items": {"type": "object"}},
                "effective_from": {"type": "string", "format": "date-time"},
                "started": {"type": "boolean"},
            },
        }
    )
    def get_settings(self, rotation: Rotation) -> dict[str, Any]:
        versions = getattr(rotation, "ordered_versions", None) or list(
            rotation.versions.order_by("effective_from")
        )
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


class SegmentSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    person = serializers.SerializerMethodField()
    # The stubs type ``Serializer.source`` as Field's own attribute; here it is a field name.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=["rotation", "override"], help_text="Whether an override put them there."
    )
    gap = serializers.SerializerMethodField()
    planned_person = serializers.SerializerMethodField()

    def _person(self, person_id: int | None) -> dict[str, Any] | None:
        if person_id is None:
            return None
        return PersonSummarySerializer(self.context["people"][person_id]).data

    @extend_schema_field(PersonSummarySerializer(allow_null=True))
    def get_person(self, segment: Any) -> dict[str, Any] | None:
        return self._person(segment.person_id)

    @extend_schema_field(serializers.BooleanField(help_text="Nobody is on call."))
    def get_gap(self, segment: Any) -> bool:
        return segment.person_id is None

    @extend_schema_field(
        PersonSummarySerializer(
            allow_null=True, help_text="For a gap: whom the rotation had planned (on time off)."
        )
    )
    def get_planned_person(self, segment: Any) -> dict[str, Any] | None:
        return self._person(segment.planned_person_id)


class ScheduleSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    shifts = SegmentSerializer(many=True, help_text="The final shifts, gaps included.")
    gaps = SegmentSerializer(many=True)
    hours = serializers.ListField(
        child=serializers.DictField(), help_text="Hours on call per person over the window."
    )


class ScheduleRangeSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["`end` must come after `start`."]})
        if (attrs["end"] - attrs["start"]).days > 400:
            raise serializers.ValidationError({"end": ["Ask for at most 400 days at a time."]})
        return attrs


class OnCallNowSerializer(serializers.Serializer[Any]):
    rotation = serializers.SerializerMethodField()
    now = serializers.SerializerMethodField()
    next = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "level": {"type": "string"},
                "programme": {"type": "string"},
            },
        }
    )
    def get_rotation(self, answer: selectors.OnCallNow) -> dict[str, Any]:
        rotation = answer.rotation
        return {
            "id": rotation.pk,
            "name": rotation.name,
            "level": rotation.level,
            "programme": rotation.programme.slug,
        }

    @extend_schema_field(SegmentSerializer(allow_null=True))
    def get_now(self, answer: selectors.OnCallNow) -> dict[str, Any] | None:
        if answer.now is None:
            return None
        return SegmentSerializer(answer.now, context={"people": answer.people}).data

    @extend_schema_field(SegmentSerializer(allow_null=True))
    def get_next(self, answer: selectors.OnCallNow) -> dict[str, Any] | None:
        if answer.next is None:
            return None
        return SegmentSerializer(answer.next, context={"people": answer.people}).data


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
        ]
        read_only_fields = [f for f in fields if f != "notes"]


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
