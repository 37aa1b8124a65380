"""REST API for stop conditions: a programme's policy and conditions (with state and distance),
each condition's versions, approvals, trips and decisions, and the dry run."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.api_pages import paginated
from programmes.errors import DomainError
from programmes.selectors import get_programme_for_user

from ..access import require_may_write_stop_conditions
from ..models import StopCondition
from ..selectors import stop_conditions as selectors
from ..selectors.stop_condition_data import rule_context
from ..selectors.stop_condition_dry_run import dry_run
from ..services import stop_conditions as services
from ..services.stop_policies import save_policy
from .stop_condition_serializers import (
    ConditionInputSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    DryRunInputSerializer,
    DryRunSerializer,
    PolicyInputSerializer,
    PolicySerializer,
    StopConditionSerializer,
    TripSerializer,
    VersionSerializer,
    rule_values,
)


def _condition_answer(request: Request, condition_id: int, *, code: int = 200) -> Response:
    condition, _ = selectors.get_condition_for_user(request.user, condition_id)
    data = StopConditionSerializer(condition, context={"request": request}).data
    return Response(data, status=code)


class StopPolicyView(APIView):
    """The programme's stop policy: author, approvers, approval and revisit dates. PUT writes it
    (what is left out keeps its value; a new policy defaults to the writer as author and the
    executive sponsor as approver)."""

    @extend_schema(responses={200: PolicySerializer})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        policy = selectors.programme_policy(programme)
        if policy is None:
            return Response({"detail": "This programme has no stop policy yet."}, status=404)
        return Response(PolicySerializer(policy).data)

    @extend_schema(request=PolicyInputSerializer, responses={200: PolicySerializer})
    def put(self, request: Request, slug: str) -> Response:
        programme, access = get_programme_for_user(request.user, slug)
        require_may_write_stop_conditions(access)
        given = PolicyInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        policy = save_policy(
            actor=request.user, programme=programme, access=access, **given.validated_data
        )
        return Response(PolicySerializer(selectors.programme_policy(policy.programme)).data)


class ProgrammeStopConditionsView(GenericAPIView[StopCondition]):
    """A programme's stop conditions with their state and distance to trip; POST writes a new
    one (its first version waits for an approver)."""

    serializer_class = StopConditionSerializer

    @extend_schema(responses={200: StopConditionSerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        context = rule_context(programme, timezone.localdate())
        return paginated(
            self,
            selectors.programme_conditions(programme),
            StopConditionSerializer,
            rule_context=context,
        )

    @extend_schema(request=ConditionInputSerializer, responses={201: StopConditionSerializer})
    def post(self, request: Request, slug: str) -> Response:
        programme, access = get_programme_for_user(request.user, slug)
        require_may_write_stop_conditions(access)
        given = ConditionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        condition = services.create_condition(
            actor=request.user,
            programme=programme,
            access=access,
            text=data["text"],
            consequence=data["consequence"],
            rule_kind=data["rule_kind"],
            rule=rule_values(data.get("rule")),
        )
        return _condition_answer(request, condition.pk, code=status.HTTP_201_CREATED)


class StopConditionDryRunView(APIView):
    """Evaluate a rule without saving it: what it says now, and how often it would have tripped
    over the last 90 days of the programme's data. Writes nothing."""

    @extend_schema(request=DryRunInputSerializer, responses={200: DryRunSerializer})
    def post(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        given = DryRunInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        kind = given.validated_data["rule_kind"]
        if not kind:
            raise DomainError("Give the kind of rule to try.", field="rule_kind")
        rule = services.checked_rule(programme, kind, rule_values(given.validated_data.get("rule")))
        history = dry_run(programme, kind, rule, now=timezone.now())
        return Response(DryRunSerializer(history).data)


class StopConditionView(APIView):
    """One condition; PATCH writes a new version, which needs approval again (the approved one
    stays in force until then)."""

    @extend_schema(responses={200: StopConditionSerializer})
    def get(self, request: Request, condition_id: int) -> Response:
        return _condition_answer(request, condition_id)

    @extend_schema(request=ConditionInputSerializer, responses={200: StopConditionSerializer})
    def patch(self, request: Request, condition_id: int) -> Response:
        condition, access = selectors.get_condition_for_user(request.user, condition_id)
        require_may_write_stop_conditions(access)
        current = selectors.pending(condition) or selectors.in_force(condition)
        given = ConditionInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        kind = data.get("rule_kind", current.rule_kind if current else "")
        services.revise_condition(
            actor=request.user,
            condition=condition,
            access=access,
            text=data.get("text", current.text if current else ""),
            consequence=data.get("consequence", current.consequence if current else ""),
            rule_kind=kind,
            rule=rule_values(data["rule"]) if "rule" in data else (current.rule if current else {}),
        )
        return _condition_answer(request, condition_id)


class StopConditionVersionsView(GenericAPIView[Any]):
    """Every version of the condition, newest first."""

    serializer_class = VersionSerializer

    @extend_schema(responses={200: VersionSerializer(many=True)})
    def get(self, request: Request, condition_id: int) -> Response:
        condition, _ = selectors.get_condition_for_user(request.user, condition_id)
        return paginated(self, selectors.condition_versions(condition), VersionSerializer)


class StopConditionApprovalsView(GenericAPIView[Any]):
    """The condition's approved versions, newest first; POST approves the version waiting for
    approval (you must be one of the policy's approvers, and not its writer)."""

    serializer_class = VersionSerializer

    @extend_schema(responses={200: VersionSerializer(many=True)})
    def get(self, request: Request, condition_id: int) -> Response:
        condition, _ = selectors.get_condition_for_user(request.user, condition_id)
        approved = selectors.condition_versions(condition).filter(approved_at__isnull=False)
        return paginated(self, approved, VersionSerializer)

    @extend_schema(request=None, responses={201: VersionSerializer})
    def post(self, request: Request, condition_id: int) -> Response:
        condition, access = selectors.get_condition_for_user(request.user, condition_id)
        version = services.approve_condition(actor=request.user, condition=condition, access=access)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class StopConditionTripsView(GenericAPIView[Any]):
    """The condition's trips, newest first, each with the facts that tripped it."""

    serializer_class = TripSerializer

    @extend_schema(responses={200: TripSerializer(many=True)})
    def get(self, request: Request, condition_id: int) -> Response:
        condition, _ = selectors.get_condition_for_user(request.user, condition_id)
        return paginated(self, selectors.condition_trips(condition), TripSerializer)


class StopConditionDecisionsView(GenericAPIView[Any]):
    """The decisions taken on the condition's trips, newest first; POST records one for the trip
    waiting for a decision."""

    serializer_class = DecisionSerializer

    @extend_schema(responses={200: DecisionSerializer(many=True)})
    def get(self, request: Request, condition_id: int) -> Response:
        condition, _ = selectors.get_condition_for_user(request.user, condition_id)
        return paginated(self, selectors.condition_decisions(condition), DecisionSerializer)

    @extend_schema(request=DecisionInputSerializer, responses={201: DecisionSerializer})
    def post(self, request: Request, condition_id: int) -> Response:
        condition, access = selectors.get_condition_for_user(request.user, condition_id)
        given = DecisionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        decision = services.record_decision(
            actor=request.user, condition=condition, access=access, **given.validated_data
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
