"""REST API for scorecards: metrics under a programme, measurements (bulk ingest), baseline
promotion, the owner's assessments and the programme's scorecard with its unit economics."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.selectors import get_programme_for_user

from . import selectors, services
from .access import require_may_change_scorecard
from .models import Metric
from .serializers import (
    AssessmentSerializer,
    IngestResultSerializer,
    MeasurementInputSerializer,
    MeasurementRangeSerializer,
    MeasurementSerializer,
    MetricInputSerializer,
    MetricSerializer,
    PromoteBaselineSerializer,
    ScorecardSerializer,
)


class ProgrammeMetricsView(generics.ListCreateAPIView[Metric]):
    """A programme's metrics, headline first. Editors and owners add metrics with POST."""

    serializer_class = MetricSerializer
    programme_token_actions = frozenset({"get"})

    def get_queryset(self) -> QuerySet[Metric]:
        programme, _ = get_programme_for_user(self.request.user, self.kwargs["slug"])
        return selectors.programme_metrics(programme)

    @extend_schema(request=MetricInputSerializer, responses={201: MetricSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme, access = get_programme_for_user(request.user, self.kwargs["slug"])
        given = MetricInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        fields.pop("reason", None)
        metric = services.create_metric(
            actor=request.user, programme=programme, access=access, **fields
        )
        fresh, _ = selectors.get_metric_for_user(request.user, metric.pk)
        return Response(
            MetricSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    partial_update=extend_schema(request=MetricInputSerializer, responses={200: MetricSerializer})
)
class MetricViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Metric],
):
    """Metrics of every programme the caller may see, each with its computed status."""

    serializer_class = MetricSerializer
    programme_token_actions = frozenset({"list", "retrieve", "measurements"})

    def get_queryset(self) -> QuerySet[Metric]:
        return selectors.visible_metrics(self.request.user)

    def _metric_and_access(self) -> Any:
        return selectors.get_metric_for_user(self.request.user, self.kwargs["pk"])

    def _show(self, metric: Metric) -> Response:
        fresh, _ = selectors.get_metric_for_user(self.request.user, metric.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=MetricInputSerializer, responses={200: MetricSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        metric, access = self._metric_and_access()
        require_may_change_scorecard(access)
        given = MetricInputSerializer(
            metric, data=request.data, partial=kwargs.get("partial", False)
        )
        given.is_valid(raise_exception=True)
        changes = dict(given.validated_data)
        reason = changes.pop("reason", "")
        metric = services.update_metric(
            actor=request.user, metric=metric, access=access, reason=reason, **changes
        )
        return self._show(metric)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        metric, access = self._metric_and_access()
        services.delete_metric(actor=request.user, metric=metric, access=access)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        parameters=[MeasurementRangeSerializer],
        request=None,
        responses={200: MeasurementSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        # ``many=True`` hands ``max_length`` to the list serializer (the schema's maxItems); the
        # stubs type the item serializer's arguments only.
        request=MeasurementInputSerializer(  # type: ignore[call-arg]
            many=True, max_length=services.MAX_BATCH
        ),
        responses={200: IngestResultSerializer, 201: IngestResultSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def measurements(self, request: Request, pk: str) -> Response:
        """GET: the metric's measurements, oldest first, within `since`/`until`.

        POST: a list of measurements, recorded all or nothing. One whose `external_id` the metric
        already has is skipped: counted in `existing` when its value is the same, listed in
        `conflicts` (with both values) when it differs; the answer is 201 when any was created.
        A refused batch answers 400 with the errors of each refused item under its position,
        e.g. `{"3": {"value": ["A valid number is required."]}}`, and saves nothing.
        """
        metric, access = self._metric_and_access()
        if request.method == "GET":
            given_range = MeasurementRangeSerializer(data=request.query_params)
            given_range.is_valid(raise_exception=True)
            rows = metric.measurements.order_by("measured_at", "id")
            if "since" in given_range.validated_data:
                rows = rows.filter(measured_at__gte=given_range.validated_data["since"])
            if "until" in given_range.validated_data:
                rows = rows.filter(measured_at__lte=given_range.validated_data["until"])
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(MeasurementSerializer(page, many=True).data)
        if not isinstance(request.data, list):
            raise serializers.ValidationError(
                {"non_field_errors": ["Send a JSON list of measurements."]}
            )
        if len(request.data) > services.MAX_BATCH:
            # Refused before any item is validated: a batch too large costs nothing.
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        f"Send at most {services.MAX_BATCH:,} measurements per request; this "
                        f"one has {len(request.data):,}."
                    ]
                }
            )
        given = MeasurementInputSerializer(data=request.data, many=True, allow_empty=False)
        given.is_valid(raise_exception=True)
        try:
            result = services.record_measurements(
                actor=request.user,
                metric=metric,
                access=access,
                measurements=[services.NewMeasurement(**row) for row in given.validated_data],
                source=services.source_for(request.user),
            )
        except services.MeasurementsRefused as refused:
            # Shaped like DRF's own list errors: only the refused items, keyed by position.
            errors = {
                str(index): {field: [message]}
                for index, (field, message) in refused.problems.items()
            }
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            IngestResultSerializer(result).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(request=PromoteBaselineSerializer, responses={200: MetricSerializer})
    @action(detail=True, methods=["post"], url_path="promote-baseline")
    def promote_baseline(self, request: Request, pk: str) -> Response:
        """Make a new baseline, with a reason kept in the audit trail."""
        metric, access = self._metric_and_access()
        given = PromoteBaselineSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.promote_baseline(
            actor=request.user,
            metric=metric,
            access=access,
            value=given.validated_data["value"],
            baseline_date=given.validated_data["baseline_date"],
            reason=given.validated_data["reason"],
        )
        return self._show(metric)

    @extend_schema(methods=["GET"], request=None, responses={200: AssessmentSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=AssessmentSerializer, responses={201: AssessmentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request: Request, pk: str) -> Response:
        """The owner's confidence (1–5) and RAG overrides, newest first; POST records a new one."""
        metric, access = self._metric_and_access()
        if request.method == "GET":
            page = self.paginate_queryset(metric.assessments.select_related("by"))
            return self.get_paginated_response(AssessmentSerializer(page, many=True).data)
        given = AssessmentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        assessment = services.record_assessment(
            actor=request.user, metric=metric, access=access, **given.validated_data
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class ProgrammeScorecardView(APIView):
    """The programme's scorecard at a glance: headline, every metric, unit economics."""

    @extend_schema(responses={200: ScorecardSerializer})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        metrics = list(selectors.programme_metrics(programme))
        headline = next((m for m in metrics if m.is_headline), None)
        economics = selectors.unit_economics_of(programme, metrics)
        data = {
            "headline": headline,
            "metrics": metrics,
            "unit_economics": {
                **economics.__dict__,
                "headroom": economics.headroom,
                "breached": economics.breached,
            },
        }
        return Response(ScorecardSerializer(data, context={"request": request}).data)
