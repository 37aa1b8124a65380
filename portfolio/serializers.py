"""The portfolio API's shapes: its query (the dashboard's filters) and its rows, which are
``exports.row_record``'s plain values."""

from typing import Any

from rest_framework import serializers

from programmes.api_input import QueryDateTimeField

from .filters import BUCKET_CHOICES, SORT_CHOICES, STAGE_CHOICES


class PortfolioQuerySerializer(serializers.Serializer[Any]):
    """The dashboard's filters and sort, as the page's URL takes them."""

    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
    stage = serializers.ChoiceField(required=False, choices=STAGE_CHOICES, allow_blank=True)
    business_unit = serializers.CharField(required=False, max_length=120, allow_blank=True)
    person = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    bucket = serializers.ChoiceField(required=False, choices=BUCKET_CHOICES, allow_blank=True)
    attention = serializers.BooleanField(required=False, default=False)
    pilots = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(required=False, choices=SORT_CHOICES, allow_blank=True)
    desc = serializers.BooleanField(required=False, default=False)


class ReasonSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    text = serializers.CharField()


class SlipSerializer(serializers.Serializer[Any]):
    original_target = serializers.CharField()
    original_target_date = serializers.DateField()
    progress_against_original = serializers.CharField()
    changed_at = serializers.DateTimeField()


class HeadlineSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    unit = serializers.CharField()
    current = serializers.CharField(allow_null=True)
    measured_at = serializers.DateTimeField(allow_null=True)
    baseline = serializers.CharField()
    target = serializers.CharField()
    target_date = serializers.DateField()
    progress = serializers.CharField()
    expected_progress = serializers.CharField()
    computed_rag = serializers.CharField()
    rag_override = serializers.CharField(allow_null=True)
    override_reason = serializers.CharField(allow_null=True)
    confidence = serializers.IntegerField(allow_null=True)
    stale = serializers.BooleanField()
    regression = serializers.CharField(allow_null=True)
    slip = SlipSerializer(allow_null=True)


class StopConditionsSerializer(serializers.Serializer[Any]):
    tripped = serializers.ListField(child=serializers.CharField())
    closest = serializers.CharField(allow_null=True)
    closest_fraction = serializers.CharField(allow_null=True)


class IncidentsSerializer(serializers.Serializer[Any]):
    open_by_severity = serializers.DictField(child=serializers.IntegerField())
    report_due_at = serializers.DateTimeField(allow_null=True)


class OnCallSerializer(serializers.Serializer[Any]):
    has_rotation = serializers.BooleanField()
    on_call_now = serializers.ListField(child=serializers.CharField())
    gap_from = serializers.DateTimeField(allow_null=True)


class CostSerializer(serializers.Serializer[Any]):
    monthly_cost = serializers.CharField(allow_null=True)
    envelope = serializers.CharField(allow_null=True)
    over_envelope = serializers.BooleanField()


class RowReadinessSerializer(serializers.Serializer[Any]):
    criteria_met = serializers.IntegerField()
    criteria_total = serializers.IntegerField()
    signoff = serializers.ChoiceField(choices=["none", "pending", "valid", "reattest", "expired"])
    valid_until = serializers.DateTimeField(allow_null=True)
    passed = serializers.BooleanField()


class RowReviewsSerializer(serializers.Serializer[Any]):
    last = serializers.ChoiceField(choices=["held", "missed"], allow_null=True)
    last_scheduled_for = serializers.DateTimeField(allow_null=True)
    missed_in_a_row = serializers.IntegerField()


class PortfolioRowSerializer(serializers.Serializer[Any]):
    """One programme's row of the dashboard."""

    slug = serializers.CharField()
    name = serializers.CharField()
    business_unit = serializers.CharField()
    stage = serializers.CharField()
    is_pilot = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["red", "amber", "green", "not_reported"])
    needs_attention = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)
    headline = HeadlineSerializer(allow_null=True)
    stop_conditions = StopConditionsSerializer()
    incidents = IncidentsSerializer()
    oncall = OnCallSerializer()
    cost = CostSerializer()
    readiness = RowReadinessSerializer()
    reviews = RowReviewsSerializer()
    overdue_actions = serializers.IntegerField()
    programme_owner = serializers.CharField(allow_null=True)
    executive_sponsor = serializers.CharField(allow_null=True)
    missing_owners = serializers.ListField(child=serializers.CharField())


class ChangesQuerySerializer(serializers.Serializer[Any]):
    since = QueryDateTimeField(required=False)


class ChangeSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    text = serializers.CharField()


class ProgrammeChangesSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField()
    changes = ChangeSerializer(many=True)


class DigestPreferenceSerializer(serializers.Serializer[Any]):
    only_when_attention = serializers.BooleanField()
