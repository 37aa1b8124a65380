"""API shapes for readiness: definition versions, criteria with their live evidence, waivers,
review rounds and sign-offs, and the pilot verdict."""

from typing import Any

from rest_framework import serializers

from programmes.models import Person
from programmes.serializers import PersonSummarySerializer

from ..models import (
    CriterionStatus,
    DefinitionVersion,
    Pillar,
    SignOffDecision,
    SignoffRole,
    Waiver,
)
from ..readiness_evidence import CHECKS
from ..readiness_rules import OPEN_STATUSES


class DefinitionVersionSerializer(serializers.ModelSerializer[DefinitionVersion]):
    agreed_by = PersonSummarySerializer(many=True, read_only=True)

    class Meta:
        model = DefinitionVersion
        fields = ["id", "number", "text", "created_at", "agreed_on", "agreed_by"]
        read_only_fields = ["id", "number", "created_at", "agreed_on", "agreed_by"]


class DefinitionInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=100_000)


class AgreementSerializer(serializers.Serializer[Any]):
    agreed_on = serializers.DateField()
    agreed_by = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(), many=True, allow_empty=False
    )


class WaiverSerializer(serializers.ModelSerializer[Waiver]):
    approver = PersonSummarySerializer(read_only=True)

    class Meta:
        model = Waiver
        fields = ["id", "reason", "approver", "expires_on", "granted_at"]
        read_only_fields = ["id", "approver", "granted_at"]
        extra_kwargs = {"expires_on": {"required": False}}


class CriterionChangeSerializer(serializers.Serializer[Any]):
    """What may change of a criterion."""

    title = serializers.CharField(max_length=200, required=False)
    status = serializers.ChoiceField(choices=OPEN_STATUSES, required=False)
    owner = serializers.PrimaryKeyRelatedField[Person](
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    evidence_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class CriterionInputSerializer(CriterionChangeSerializer):
    """A new criterion: its pillar, title and, for one Keel checks itself, the check."""

    pillar = serializers.ChoiceField(choices=Pillar.choices)
    title = serializers.CharField(max_length=200)
    evidence_check = serializers.ChoiceField(
        choices=[(key, label) for key, (label, _) in CHECKS.items()],
        required=False,
        allow_blank=True,
    )


class CriterionStateSerializer(serializers.Serializer[Any]):
    """A criterion with its status as Keel judges it now."""

    id = serializers.IntegerField(source="criterion.id")
    pillar = serializers.CharField(source="criterion.pillar")
    title = serializers.CharField(source="criterion.title")
    status = serializers.ChoiceField(choices=CriterionStatus.choices)
    status_label = serializers.CharField()
    satisfied = serializers.BooleanField()
    recorded_status = serializers.CharField(source="criterion.status")
    owner = PersonSummarySerializer(source="criterion.owner", allow_null=True)
    evidence_link = serializers.CharField(source="criterion.evidence_link")
    note = serializers.CharField(source="criterion.note")
    evidence = serializers.SerializerMethodField()
    waiver = WaiverSerializer(allow_null=True)
    reopened = serializers.CharField()

    def get_evidence(self, state: Any) -> dict[str, Any] | None:
        if state.evidence is None:
            return None
        check = state.criterion.evidence_check
        return {"check": check, "holds": state.evidence.holds, "fact": state.evidence.fact}


class SignOffStateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="signoff.id")
    role = serializers.ChoiceField(source="signoff.role", choices=SignoffRole.choices)
    signer = PersonSummarySerializer(source="signoff.signer")
    decision = serializers.ChoiceField(source="signoff.decision", choices=SignOffDecision.choices)
    comment = serializers.CharField(source="signoff.comment")
    decided_at = serializers.DateTimeField(source="signoff.decided_at", allow_null=True)
    attested_at = serializers.DateTimeField(source="signoff.attested_at", allow_null=True)
    expires_at = serializers.DateTimeField(source="signoff.expires_at", allow_null=True)
    expired = serializers.BooleanField()
    needs_reattestation = serializers.BooleanField()
    changes = serializers.ListField(child=serializers.CharField())


class ReviewStateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="review.id")
    round = serializers.IntegerField(source="review.round")
    outcome = serializers.CharField(source="review.outcome")
    opened_at = serializers.DateTimeField(source="review.opened_at")
    closed_at = serializers.DateTimeField(source="review.closed_at", allow_null=True)
    signoffs = SignOffStateSerializer(many=True)


class ReviewInputSerializer(serializers.Serializer[Any]):
    signers = serializers.DictField(
        child=serializers.PrimaryKeyRelatedField[Person](queryset=Person.objects.all()),
        required=False,
        help_text="Who signs each role (delivery, security, risk, product); by default the "
        "delivery lead, security owner, risk owner and product owner.",
    )

    def validate_signers(self, value: dict[str, Person]) -> dict[str, Person]:
        unknown = sorted(set(value) - set(SignoffRole.values))
        if unknown:
            raise serializers.ValidationError(
                f"“{unknown[0]}” is not a role. Roles are: {', '.join(SignoffRole.values)}."
            )
        return value


class SignSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(
        choices=[(SignOffDecision.APPROVED, "Approve"), (SignOffDecision.REJECTED, "Reject")]
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class CommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class ReadinessSerializer(serializers.Serializer[Any]):
    """Where the programme stands: whether production is open to it, and what is missing."""

    passed = serializers.BooleanField()
    refusals = serializers.ListField(child=serializers.CharField())
    warning = serializers.CharField()
    definition = DefinitionVersionSerializer(allow_null=True)
    criteria = CriterionStateSerializer(many=True)
    current_review = ReviewStateSerializer(source="current", allow_null=True)


class PilotAnswerSerializer(serializers.Serializer[Any]):
    question = serializers.CharField()
    yes = serializers.BooleanField()
    fact = serializers.CharField()
    fix = serializers.CharField()
    fix_url = serializers.CharField()


class PilotVerdictSerializer(serializers.Serializer[Any]):
    is_pilot = serializers.BooleanField()
    summary = serializers.CharField()
    answers = PilotAnswerSerializer(many=True)
    missing = PilotAnswerSerializer(many=True)
