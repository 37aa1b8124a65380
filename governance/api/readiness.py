"""REST API for readiness: where a programme stands, the definition and its versions, criteria
and waivers, review rounds and sign-offs, and the pilot verdict."""

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.api_pages import paginated
from programmes.models import Programme
from programmes.rules import Access
from programmes.selectors import get_programme_for_user, visible_programmes

from ..models import Criterion, DefinitionVersion, SignOff
from ..selectors.pilot_verdict import pilot_verdict
from ..selectors.readiness import readiness_of
from ..services import readiness as services
from .readiness_serializers import (
    AgreementSerializer,
    CommentSerializer,
    CriterionChangeSerializer,
    CriterionInputSerializer,
    CriterionStateSerializer,
    DefinitionInputSerializer,
    DefinitionVersionSerializer,
    PilotVerdictSerializer,
    ReadinessSerializer,
    ReviewInputSerializer,
    ReviewStateSerializer,
    SignOffStateSerializer,
    SignSerializer,
    WaiverSerializer,
)


def _programme_of(
    request: Request, model: Any, lookup: str, pk: int
) -> tuple[Any, Programme, Access]:
    """A row of a readiness table and its programme, 404 unless the user may see the programme."""
    row = (
        model.objects.filter(**{f"{lookup}__in": visible_programmes(request.user)}, pk=pk)
        .select_related(lookup)
        .first()
    )
    if row is None:
        raise Http404("Not found.")
    programme, access = get_programme_for_user(request.user, _follow(row, lookup).slug)
    return row, programme, access


def _follow(row: Any, path: str) -> Any:
    for name in path.split("__"):
        row = getattr(row, name)
    return row


def _criterion_state(programme: Programme, criterion_id: int) -> Any:
    states = readiness_of(programme, timezone.now()).criteria
    return next(state for state in states if state.criterion.pk == criterion_id)


def _signoff_state(programme: Programme, signoff_id: int) -> Any:
    readiness = readiness_of(programme, timezone.now())
    rounds = [r for r in (readiness.current, *readiness.past) if r is not None]
    return next(s for r in rounds for s in r.signoffs if s.signoff.pk == signoff_id)


class ReadinessView(APIView):
    """Where the programme stands: whether production is open to it and, if not, what is
    missing; the definition in force; each criterion as Keel judges it now; the current round."""

    @extend_schema(responses={200: ReadinessSerializer})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        readiness = readiness_of(programme, timezone.now())
        return Response(ReadinessSerializer(readiness).data)


class PilotVerdictView(APIView):
    """The seed's three questions answered from data; all three "no" is a pilot, whatever its
    stage says."""

    @extend_schema(responses={200: PilotVerdictSerializer})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        return Response(PilotVerdictSerializer(pilot_verdict(programme, timezone.now())).data)


class DefinitionVersionsView(GenericAPIView[Any]):
    """The definition's versions, newest first; POST writes a new one (to be agreed)."""

    serializer_class = DefinitionVersionSerializer

    @extend_schema(responses={200: DefinitionVersionSerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        versions = programme.readiness_definitions.prefetch_related("agreed_by")
        return paginated(self, versions, DefinitionVersionSerializer)

    @extend_schema(request=DefinitionInputSerializer, responses={201: DefinitionVersionSerializer})
    def post(self, request: Request, slug: str) -> Response:
        programme, access = get_programme_for_user(request.user, slug)
        given = DefinitionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        version = services.write_definition(
            actor=request.user, programme=programme, access=access, **given.validated_data
        )
        return Response(DefinitionVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class DefinitionAgreementView(APIView):
    """Record that named people (at least the programme owner and the sponsor) agreed this
    version on a date."""

    @extend_schema(request=AgreementSerializer, responses={200: DefinitionVersionSerializer})
    def post(self, request: Request, version_id: int) -> Response:
        version, _, access = _programme_of(request, DefinitionVersion, "programme", version_id)
        given = AgreementSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        agreed = services.agree_definition(
            actor=request.user, version=version, access=access, **given.validated_data
        )
        return Response(DefinitionVersionSerializer(agreed).data)


class CriteriaView(GenericAPIView[Any]):
    """The criteria in pillar order, each with its status as Keel judges it now (an automatic
    criterion is met only while its evidence holds); POST adds one."""

    serializer_class = CriterionStateSerializer

    @extend_schema(responses={200: CriterionStateSerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        states = list(readiness_of(programme, timezone.now()).criteria)
        page = self.paginate_queryset(states)  # type: ignore[arg-type]
        return self.get_paginated_response(CriterionStateSerializer(page, many=True).data)

    @extend_schema(request=CriterionInputSerializer, responses={201: CriterionStateSerializer})
    def post(self, request: Request, slug: str) -> Response:
        programme, access = get_programme_for_user(request.user, slug)
        given = CriterionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        criterion = services.add_criterion(
            actor=request.user, programme=programme, access=access, **given.validated_data
        )
        state = _criterion_state(programme, criterion.pk)
        return Response(CriterionStateSerializer(state).data, status=status.HTTP_201_CREATED)


class DefaultCriteriaView(APIView):
    """Add the default criteria (what the seed names for each pillar) the programme lacks."""

    @extend_schema(request=None, responses={200: CriterionStateSerializer(many=True)})
    def post(self, request: Request, slug: str) -> Response:
        programme, access = get_programme_for_user(request.user, slug)
        services.start_default_criteria(actor=request.user, programme=programme, access=access)
        states = readiness_of(programme, timezone.now()).criteria
        return Response(CriterionStateSerializer(states, many=True).data)


class CriterionView(APIView):
    """One criterion as Keel judges it now; PATCH changes its title, status, owner, evidence
    link or note."""

    @extend_schema(responses={200: CriterionStateSerializer})
    def get(self, request: Request, criterion_id: int) -> Response:
        _, programme, _ = _programme_of(request, Criterion, "programme", criterion_id)
        return Response(CriterionStateSerializer(_criterion_state(programme, criterion_id)).data)

    @extend_schema(request=CriterionChangeSerializer, responses={200: CriterionStateSerializer})
    def patch(self, request: Request, criterion_id: int) -> Response:
        criterion, programme, access = _programme_of(request, Criterion, "programme", criterion_id)
        given = CriterionChangeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.update_criterion(
            actor=request.user, criterion=criterion, access=access, **given.validated_data
        )
        return Response(CriterionStateSerializer(_criterion_state(programme, criterion_id)).data)


class CriterionWaiversView(GenericAPIView[Any]):
    """A criterion's waivers, newest first; POST grants one (by the person named for the role
    that owns its pillar), with a reason and an expiry (at most six months ahead, the default)."""

    serializer_class = WaiverSerializer

    @extend_schema(responses={200: WaiverSerializer(many=True)})
    def get(self, request: Request, criterion_id: int) -> Response:
        criterion, _, _ = _programme_of(request, Criterion, "programme", criterion_id)
        return paginated(self, criterion.waivers.select_related("approver"), WaiverSerializer)

    @extend_schema(request=WaiverSerializer, responses={201: WaiverSerializer})
    def post(self, request: Request, criterion_id: int) -> Response:
        criterion, _, access = _programme_of(request, Criterion, "programme", criterion_id)
        given = WaiverSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        waiver = services.grant_waiver(
            actor=request.user,
            criterion=criterion,
            access=access,
            reason=given.validated_data["reason"],
            expires_on=given.validated_data.get("expires_on"),
        )
        return Response(WaiverSerializer(waiver).data, status=status.HTTP_201_CREATED)


class ReviewsView(GenericAPIView[Any]):
    """The review's rounds, newest first, each with its four sign-offs; POST opens a new round
    (a round still open is superseded, its record kept)."""

    serializer_class = ReviewStateSerializer

    @extend_schema(responses={200: ReviewStateSerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        readiness = readiness_of(programme, timezone.now())
        rounds = sorted(
            [r for r in (readiness.current, *readiness.past) if r is not None],
            key=lambda r: -r.review.round,
        )
        page = self.paginate_queryset(rounds)  # type: ignore[arg-type]
        return self.get_paginated_response(ReviewStateSerializer(page, many=True).data)

    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewStateSerializer})
    def post(self, request: Request, slug: str) -> Response:
        programme, access = get_programme_for_user(request.user, slug)
        given = ReviewInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.open_review(
            actor=request.user,
            programme=programme,
            access=access,
            signers=given.validated_data.get("signers"),
        )
        current = readiness_of(programme, timezone.now()).current
        return Response(ReviewStateSerializer(current).data, status=status.HTTP_201_CREATED)


class SignOffView(APIView):
    """One sign-off, with what changed since it was given."""

    @extend_schema(responses={200: SignOffStateSerializer})
    def get(self, request: Request, signoff_id: int) -> Response:
        _, programme, _ = _programme_of(request, SignOff, "review__programme", signoff_id)
        return Response(SignOffStateSerializer(_signoff_state(programme, signoff_id)).data)


class _SignOffActionView(APIView):
    """A signer's action on one sign-off, answered with the sign-off as it stands after it."""

    input_serializer: type[serializers.Serializer[Any]] = CommentSerializer
    act: Any = None

    def post(self, request: Request, signoff_id: int) -> Response:
        signoff, programme, access = _programme_of(
            request, SignOff, "review__programme", signoff_id
        )
        given = self.input_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        type(self).act(actor=request.user, signoff=signoff, access=access, **given.validated_data)
        return Response(SignOffStateSerializer(_signoff_state(programme, signoff_id)).data)


@extend_schema(request=SignSerializer, responses={200: SignOffStateSerializer})
class SignView(_SignOffActionView):
    """The named signer approves or rejects (a rejection says what must change)."""

    input_serializer = SignSerializer
    act = services.sign


@extend_schema(request=CommentSerializer, responses={200: SignOffStateSerializer})
class ReattestView(_SignOffActionView):
    """The signer confirms the approval still holds: what changed is not material (recorded
    in the audit trail), or the year is up. The sign-off's twelve months start again."""

    act = services.reattest


@extend_schema(request=CommentSerializer, responses={200: SignOffStateSerializer})
class WithdrawView(_SignOffActionView):
    """The signer withdraws an approval."""

    act = services.withdraw
