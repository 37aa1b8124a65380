"""API shapes for programmes and people: one input and one output serializer per resource."""

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    OWNER_FIELDS,
    AuditEvent,
    Channel,
    DeliveryAttempt,
    Membership,
    Notification,
    NotificationStatus,
    Person,
    Programme,
    ProgrammeToken,
    Role,
    Stage,
    StageTransition,
)
from .registry.notification_kinds import kind_choices
from .selectors import programme_access


class PersonSummarySerializer(serializers.ModelSerializer[Person]):
    class Meta:
        model = Person
        fields = ["id", "name", "email"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    """A person in the directory, as read and as written."""

    class Meta:
        model = Person
        fields = ["id", "name", "email", "timezone", "slack_member_id", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ProgrammeInputSerializer(serializers.ModelSerializer[Programme]):
    """What a client may send to create or change a programme. Owners are person ids."""

    slug = serializers.SlugField(max_length=80, required=False, allow_blank=True)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)

    class Meta:
        model = Programme
        fields = [
            "name",
            "slug",
            "summary",
            "business_unit",
            "stage",
            *OWNER_FIELDS,
            "review_weekday",
            "review_time",
            "review_timezone",
            "regression_day",
            "cost_envelope",
            "cost_currency",
            "slack_webhook_url",
        ]
        extra_kwargs = {"slack_webhook_url": {"write_only": True}}


# What ``your_access`` says, in this order.
ACCESS_FIELDS = ("can_view", "can_edit", "can_transition", "can_manage_members")


class AccessSerializer(serializers.Serializer[Any]):
    can_view = serializers.BooleanField()
    can_edit = serializers.BooleanField()
    can_transition = serializers.BooleanField()
    can_manage_members = serializers.BooleanField()


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    """A programme as the API shows it, with its named owners and the caller's access."""

    executive_sponsor = PersonSummarySerializer(read_only=True)
    programme_owner = PersonSummarySerializer(read_only=True)
    delivery_lead = PersonSummarySerializer(read_only=True)
    technical_owner = PersonSummarySerializer(read_only=True)
    risk_owner = PersonSummarySerializer(read_only=True)
    security_owner = PersonSummarySerializer(read_only=True)
    product_owner = PersonSummarySerializer(read_only=True)
    oncall_lead = PersonSummarySerializer(read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    review_weekday_label = serializers.CharField(
        source="get_review_weekday_display", read_only=True
    )
    your_role = serializers.CharField(source="member_role", read_only=True, allow_null=True)
    your_access = serializers.SerializerMethodField()
    slack_webhook = serializers.CharField(
        source="webhook_hint",
        read_only=True,
        help_text="A hint of the webhook URL (host and last characters); the URL is never shown.",
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="api-programme-detail", lookup_field="slug", read_only=True
    )

    class Meta:
        model = Programme
        fields = [
            "url",
            "slug",
            "name",
            "summary",
            "business_unit",
            "stage",
            "stage_label",
            *OWNER_FIELDS,
            "review_weekday",
            "review_weekday_label",
            "review_time",
            "review_timezone",
            "regression_day",
            "cost_envelope",
            "cost_currency",
            "slack_webhook",
            "your_role",
            "your_access",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AccessSerializer)
    def get_your_access(self, programme: Programme) -> dict[str, bool]:
        access = programme_access(self.context["request"].user, programme)
        return {name: getattr(access, name) for name in ACCESS_FIELDS}

    def to_representation(self, instance: Programme) -> dict[str, Any]:
        """DRF's representation, with the owners and the access written by hand: a page of a
        thousand programmes would otherwise run nine nested serializers per programme."""
        data: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name in OWNER_FIELDS:
                person = getattr(instance, name)
                data[name] = (
                    None
                    if person is None
                    else {"id": person.pk, "name": person.name, "email": person.email}
                )
            elif name == "your_access":
                data[name] = self.get_your_access(instance)
            else:
                attribute = field.get_attribute(instance)
                data[name] = None if attribute is None else field.to_representation(attribute)
        return data


class TransitionInputSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(max_length=2000)


class StageTransitionSerializer(serializers.ModelSerializer[StageTransition]):
    actor = serializers.SlugRelatedField[Any](slug_field="username", read_only=True)

    class Meta:
        model = StageTransition
        fields = ["id", "from_stage", "to_stage", "reason", "actor", "at"]
        read_only_fields = fields


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    actor = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "request_id",
        ]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "created_at"]
        read_only_fields = fields


class MembershipInputSerializer(serializers.Serializer[Any]):
    username = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True)
    )
    role = serializers.ChoiceField(choices=Role.choices)


class MembershipRoleSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(
        help_text="Shown once. Send it as `Authorization: Token <token>`."
    )


class DeliveryAttemptSerializer(serializers.ModelSerializer[DeliveryAttempt]):
    class Meta:
        model = DeliveryAttempt
        fields = ["number", "at", "succeeded", "status_code", "detail"]
        read_only_fields = fields


class NotificationKindField(serializers.ChoiceField):
    """A notification kind: the kinds the apps registered, read when a serializer is made (so
    after every app has registered its kinds)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=kind_choices(), **kwargs)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    """One outbox row: what was sent to whom, how, and how delivery went."""

    kind = NotificationKindField(read_only=True)
    recipient = PersonSummarySerializer(read_only=True)
    programme = serializers.SlugRelatedField[Any](slug_field="slug", read_only=True)
    delivery_attempts = DeliveryAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "programme",
            "recipient",
            "kind",
            "channel",
            "status",
            "attempts",
            "last_error",
            "subject",
            "body",
            "link",
            "created_at",
            "next_attempt_at",
            "sent_at",
            "read_at",
            "delivery_attempts",
        ]
        read_only_fields = fields


class NotificationFilterSerializer(serializers.Serializer[Any]):
    programme = serializers.SlugField(required=False, help_text="A programme's slug.")
    kind = NotificationKindField(required=False)
    status = serializers.ChoiceField(choices=NotificationStatus.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class NotificationPreferenceSerializer(serializers.Serializer[Any]):
    kind = NotificationKindField()
    channel = serializers.ChoiceField(choices=[Channel.EMAIL, Channel.SLACK])
    enabled = serializers.BooleanField()


class ProgrammeTokenInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(
        max_length=100, help_text="What will use the token, e.g. “nightly eval harness”."
    )
    scope = serializers.ChoiceField(
        choices=ProgrammeToken.Scope.choices,
        default=ProgrammeToken.Scope.MEASUREMENTS,
        help_text="`measurements`: sent as `Authorization: Token …` by the evaluation harness; "
        "`alertmanager`: the secret part of the Alertmanager webhook URL.",
    )


class ProgrammeTokenSerializer(serializers.ModelSerializer[ProgrammeToken]):
    created_by = serializers.SlugRelatedField[Any](slug_field="username", read_only=True)

    class Meta:
        model = ProgrammeToken
        fields = [
            "id",
            "name",
            "scope",
            "hint",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]
        read_only_fields = fields


class IssuedProgrammeTokenSerializer(ProgrammeTokenSerializer):
    """A token as created: the one answer that carries its secret."""

    token = serializers.CharField(
        read_only=True,
        help_text="Shown once, never again. A `measurements` token is sent as "
        "`Authorization: Token <token>`; an `alertmanager` token ends the webhook URL "
        "`/api/v1/integrations/alertmanager/<token>/`.",
    )

    class Meta(ProgrammeTokenSerializer.Meta):
        fields = [*ProgrammeTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields
