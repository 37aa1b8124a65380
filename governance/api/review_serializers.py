"""API shapes for weekly reviews, their agenda, attendance, decisions and action items."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.models import Person
from programmes.serializers import PersonSummarySerializer

from ..models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Decision,
    Review,
    ReviewDecisionKind,
    ReviewStatus,
    UpcomingChange,
)


class AgendaItemSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The item's key, for a decision's `agenda_item`.")
    text = serializers.CharField()
    tone = serializers.ChoiceField(choices=["ok", "bad", "warn", "info"])
    detail = serializers.CharField(allow_blank=True)
    link = serializers.CharField(allow_blank=True)
    needs_decision = serializers.BooleanField(
        help_text="A tripped stop condition: hold is refused until it is decided or deferred."
    )
    question = serializers.BooleanField(help_text="A written-only condition: answer yes or no.")
    values = serializers.DictField(help_text="The values behind the item.")


class AgendaSectionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    items = AgendaItemSerializer(many=True)
    empty = serializers.CharField(allow_blank=True)


class AgendaSerializer(serializers.Serializer[Any]):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    period = serializers.CharField()
    sections = AgendaSectionSerializer(many=True)


class ReviewSerializer(serializers.ModelSerializer[Review]):
    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    minutes_url = serializers.CharField(source="get_minutes_url", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "url",
            "minutes_url",
            "programme",
            "scheduled_for",
            "timezone",
            "status",
            "moved_from",
            "cancel_reason",
            "missed_after",
            "started_at",
            "held_at",
            "closed_at",
        ]
        read_only_fields = fields


class ReviewAttendanceSerializer(serializers.ModelSerializer[Attendance]):
    person = PersonSummarySerializer(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "person", "guest_name", "present"]
        read_only_fields = fields


class ReviewDecisionSerializer(serializers.ModelSerializer[Decision]):
    decided_by = serializers.SlugRelatedField[Any](
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "review",
            "kind",
            "text",
            "agenda_item",
            "decided_by",
            "decided_at",
            "stop_condition_decision",
        ]
        read_only_fields = fields


class ReviewActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    owner = PersonSummarySerializer(read_only=True)
    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "programme",
            "raised_in",
            "title",
            "owner",
            "due_on",
            "status",
            "drop_reason",
            "closed_at",
            "closed_in",
        ]
        read_only_fields = fields


class UpcomingChangeSerializer(serializers.ModelSerializer[UpcomingChange]):
    # Not "detail": that name is the error body's message.
    description = serializers.CharField(source="detail", read_only=True)

    class Meta:
        model = UpcomingChange
        fields = ["id", "review", "title", "description", "added_at"]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    """A review with what it shows: the live agenda before it starts, its snapshot after."""

    agenda = serializers.SerializerMethodField()
    agenda_is_snapshot = serializers.SerializerMethodField()
    notes = serializers.CharField(read_only=True)
    attendance = ReviewAttendanceSerializer(many=True, read_only=True)
    decisions = ReviewDecisionSerializer(many=True, read_only=True)
    actions = ReviewActionItemSerializer(many=True, read_only=True)

    class Meta(ReviewSerializer.Meta):
        fields = [
            *ReviewSerializer.Meta.fields,
            "agenda_is_snapshot",
            "agenda",
            "notes",
            "attendance",
            "decisions",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(AgendaSerializer)
    def get_agenda(self, review: Review) -> dict[str, Any]:
        return dict(self.context["agenda"])

    def get_agenda_is_snapshot(self, review: Review) -> bool:
        return bool(self.context["frozen"])


class ReviewFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False)


class ReviewCancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)


class ReviewMoveSerializer(serializers.Serializer[Any]):
    to = serializers.DateTimeField(help_text="The new time, with its UTC offset.")


class ReviewAttendanceInputSerializer(serializers.Serializer[Any]):
    """A person marked present or absent, or a guest by name."""

    person = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    guest_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    present = serializers.BooleanField(default=True)


class ReviewDecisionInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ReviewDecisionKind.choices)
    text = serializers.CharField(max_length=5000, allow_blank=True)
    agenda_item = serializers.CharField(max_length=80, required=False, allow_blank=True)
    decided_by = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="On a tripped stop condition: who decided (the sponsor or an approver); you, "
        "when left out.",
    )
    revisit_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="On a tripped stop condition, needed for “continue”: when to look again.",
    )


class ReviewActionInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    due_on = serializers.DateField(required=False, allow_null=True)


class ReviewActionStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReviewNotesSerializer(serializers.Serializer[Any]):
    notes = serializers.CharField(allow_blank=True, max_length=50_000)


class UpcomingChangeInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
