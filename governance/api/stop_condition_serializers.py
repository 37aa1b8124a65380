"""API shapes for stop policies, conditions, their versions, trips and decisions."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.models import Person
from programmes.serializers import PersonSummarySerializer

from ..models import (
    Consequence,
    DecisionKind,
    StopCondition,
    StopConditionDecision,
    StopConditionTrip,
    StopConditionVersion,
    StopPolicy,
)
from ..selectors.stop_condition_data import rule_context
from ..selectors.stop_conditions import in_force, open_trip, pending
from ..stop_condition_rules import Param, all_params, describe, rule_kinds
from ..stop_condition_rules.history import History

# Wide enough for every kind's own bounds, which the kind checks with its own message.
_WIDEST_INT = 10**9


def _param_field(param: Param) -> serializers.Field[Any, Any, Any, Any]:
    options: dict[str, Any] = {"required": False, "allow_null": True, "help_text": param.help}
    if param.type in ("int", "metric"):
        return serializers.IntegerField(min_value=-_WIDEST_INT, max_value=_WIDEST_INT, **options)
    if param.type == "decimal":
        return serializers.DecimalField(
            max_digits=20, decimal_places=6, coerce_to_string=True, **options
        )
    if param.type == "date":
        return serializers.DateField(**options)
    return serializers.ChoiceField(choices=list(param.choices), **options)


def _kinds_help() -> str:
    return "; ".join(f"`{kind.key}`: {kind.summary}" for kind in rule_kinds())


RuleSerializer = type(
    "RuleSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "A rule's parameters; which ones a kind takes is in docs/stop-conditions.md.",
        **{param.name: _param_field(param) for param in all_params()},
    },
)


def rule_values(validated: dict[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (validated or {}).items() if value is not None}


class ConditionInputSerializer(serializers.Serializer[Any]):
    """A condition as a client writes it: a new condition, or a new version of one."""

    text = serializers.CharField(max_length=5000)
    consequence = serializers.ChoiceField(choices=Consequence.choices)
    rule_kind = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="Blank for a condition people assess. " + _kinds_help(),
    )
    rule = RuleSerializer(required=False)


class DryRunInputSerializer(serializers.Serializer[Any]):
    rule_kind = serializers.CharField(max_length=40, help_text=_kinds_help())
    rule = RuleSerializer(required=False)


class VerdictSerializer(serializers.Serializer[Any]):
    judgement = serializers.CharField()
    distance = serializers.CharField()
    fraction = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    facts = serializers.ListField(child=serializers.DictField())


class DryRunSerializer(serializers.Serializer[History]):
    now = VerdictSerializer()
    would_have_tripped = serializers.IntegerField(source="trips")
    closest = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    days = serializers.IntegerField()
    summary = serializers.CharField()


class VersionSerializer(serializers.ModelSerializer[StopConditionVersion]):
    written_by = PersonSummarySerializer(read_only=True)
    approved_by = PersonSummarySerializer(read_only=True)

    class Meta:
        model = StopConditionVersion
        fields = [
            "number",
            "text",
            "consequence",
            "rule_kind",
            "rule",
            "written_by",
            "written_at",
            "approved_by",
            "approved_at",
        ]
        read_only_fields = fields


class TripSerializer(serializers.ModelSerializer[StopConditionTrip]):
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = StopConditionTrip
        fields = ["id", "version", "tripped_at", "summary", "facts", "decided_at"]
        read_only_fields = fields


class StopConditionSerializer(serializers.ModelSerializer[StopCondition]):
    """A condition with where it stands: the version in force, one waiting for approval, its
    state and distance to trip, and the trip waiting for a decision."""

    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()
    awaiting_approval = serializers.SerializerMethodField()
    rule_description = serializers.SerializerMethodField()
    open_trip = serializers.SerializerMethodField()

    class Meta:
        model = StopCondition
        fields = [
            "id",
            "url",
            "programme",
            "state",
            "reading",
            "distance",
            "distance_fraction",
            "evaluated_at",
            "rule_description",
            "in_force",
            "awaiting_approval",
            "open_trip",
            "continue_until",
        ]
        read_only_fields = fields

    def get_url(self, condition: StopCondition) -> str:
        path = reverse("api-stop-condition", kwargs={"condition_id": condition.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @staticmethod
    def _version(version: StopConditionVersion | None) -> dict[str, Any] | None:
        return VersionSerializer(version).data if version is not None else None

    @extend_schema_field(VersionSerializer(allow_null=True))
    def get_in_force(self, condition: StopCondition) -> dict[str, Any] | None:
        return self._version(in_force(condition))

    @extend_schema_field(VersionSerializer(allow_null=True))
    def get_awaiting_approval(self, condition: StopCondition) -> dict[str, Any] | None:
        return self._version(pending(condition))

    def get_rule_description(self, condition: StopCondition) -> str:
        version = in_force(condition) or pending(condition)
        if version is None or not version.rule_kind:
            return "Assessed by people in the weekly review."
        context = self.context.get("rule_context")
        if context is None:
            context = rule_context(condition.programme, condition.created_at.date())
        return describe(version.rule_kind, version.rule, context)

    @extend_schema_field(TripSerializer(allow_null=True))
    def get_open_trip(self, condition: StopCondition) -> dict[str, Any] | None:
        trip = open_trip(condition)
        return TripSerializer(trip).data if trip is not None else None


class DecisionSerializer(serializers.ModelSerializer[StopConditionDecision]):
    decided_by = PersonSummarySerializer(read_only=True)
    trip = serializers.PrimaryKeyRelatedField[StopConditionTrip](read_only=True)
    stage_transition = serializers.PrimaryKeyRelatedField[Any](source="transition", read_only=True)

    class Meta:
        model = StopConditionDecision
        fields = [
            "id",
            "trip",
            "kind",
            "reason",
            "revisit_on",
            "decided_by",
            "decided_at",
            "stage_transition",
        ]
        read_only_fields = fields


class DecisionInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    reason = serializers.CharField(max_length=5000)
    revisit_on = serializers.DateField(
        required=False, allow_null=True, help_text="Needed for “continue”: when to look again."
    )
    decided_by = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="Who decided (the sponsor or an approver); you, when left out.",
    )


class PolicySerializer(serializers.ModelSerializer[StopPolicy]):
    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)
    author = PersonSummarySerializer(read_only=True)
    approvers = PersonSummarySerializer(many=True, read_only=True)

    class Meta:
        model = StopPolicy
        fields = ["programme", "author", "approvers", "approved_on", "revisit_on", "updated_at"]
        read_only_fields = fields


class PolicyInputSerializer(serializers.Serializer[Any]):
    author = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(), required=False
    )
    approvers = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(), many=True, required=False
    )
    revisit_on = serializers.DateField(required=False)
