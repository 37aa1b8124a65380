"""REST API for weekly reviews: a programme's reviews, one review with its agenda (live) or
snapshot, the verbs start, hold, cancel and move, and what the meeting records: attendance,
notes, decisions, action items, upcoming changes."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.api_pages import paginated
from programmes.selectors import get_programme_for_user

from .. import review_selectors, services
from ..agenda import agenda_for
from ..models import Review
from .review_serializers import (
    ReviewActionInputSerializer,
    ReviewActionItemSerializer,
    ReviewActionStatusSerializer,
    ReviewAttendanceInputSerializer,
    ReviewAttendanceSerializer,
    ReviewCancelSerializer,
    ReviewDecisionInputSerializer,
    ReviewDecisionSerializer,
    ReviewDetailSerializer,
    ReviewFilterSerializer,
    ReviewMoveSerializer,
    ReviewNotesSerializer,
    ReviewSerializer,
    UpcomingChangeInputSerializer,
    UpcomingChangeSerializer,
)


def _detail(request: Request, review: Review, *, code: int = status.HTTP_200_OK) -> Response:
    review = (
        Review.objects.select_related("programme")
        .prefetch_related("attendance__person", "decisions__decided_by", "actions__owner")
        .get(pk=review.pk)
    )
    agenda, frozen = agenda_for(review, timezone.now())
    serializer = ReviewDetailSerializer(
        review, context={"request": request, "agenda": agenda, "frozen": frozen}
    )
    return Response(serializer.data, status=code)


class ProgrammeReviewsView(GenericAPIView[Review]):
    """A programme's weekly reviews, latest first, filtered by status."""

    serializer_class = ReviewSerializer

    @extend_schema(
        parameters=[ReviewFilterSerializer], responses={200: ReviewSerializer(many=True)}
    )
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        given = ReviewFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        rows = review_selectors.programme_reviews(programme).order_by("-scheduled_for", "-id")
        if "status" in given.validated_data:
            rows = rows.filter(status=given.validated_data["status"])
        return paginated(self, rows, ReviewSerializer)


class ProgrammeActionItemsView(GenericAPIView[Any]):
    """A programme's review action items, by due date, filtered by status."""

    serializer_class = ReviewActionItemSerializer

    @extend_schema(responses={200: ReviewActionItemSerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        programme, _ = get_programme_for_user(request.user, slug)
        wanted = request.query_params.get("status", "")
        rows = review_selectors.programme_actions(programme).order_by("due_on", "id")
        if wanted in ("open", "done", "dropped"):
            rows = rows.filter(status=wanted)
        return paginated(self, rows, ReviewActionItemSerializer)


class ReviewView(APIView):
    """One review: before it starts, the agenda built live from the programme's data; once
    started, the snapshot the meeting saw (`agenda_is_snapshot`)."""

    @extend_schema(responses={200: ReviewDetailSerializer})
    def get(self, request: Request, review_id: int) -> Response:
        review, _ = review_selectors.get_visible_review(request.user, review_id)
        return _detail(request, review)


def _verb(
    request: Request,
    review_id: int,
    service: Callable[..., Review],
    given: type[serializers.Serializer[Any]] | None = None,
) -> Response:
    """A verb on one review: its input read by ``given`` (if any), ``service`` called with it,
    the review answered as ``GET`` shows it."""
    review, access = review_selectors.get_visible_review(request.user, review_id)
    values: dict[str, Any] = {}
    if given is not None:
        reader = given(data=request.data)
        reader.is_valid(raise_exception=True)
        values = dict(reader.validated_data)
    return _detail(request, service(actor=request.user, review=review, access=access, **values))


class ReviewStartView(APIView):
    """Start the review: its agenda is frozen as its snapshot."""

    @extend_schema(request=None, responses={200: ReviewDetailSerializer})
    def post(self, request: Request, review_id: int) -> Response:
        return _verb(request, review_id, services.start_review)


class ReviewHoldView(APIView):
    """Mark the review held: refused (400) while a tripped stop condition on its agenda has
    neither a decision nor a deferral with a reason."""

    @extend_schema(request=None, responses={200: ReviewDetailSerializer})
    def post(self, request: Request, review_id: int) -> Response:
        return _verb(request, review_id, services.hold_review)


class ReviewCancelView(APIView):
    """Cancel the review with a reason (a cancelled review is not missed)."""

    @extend_schema(request=ReviewCancelSerializer, responses={200: ReviewDetailSerializer})
    def post(self, request: Request, review_id: int) -> Response:
        return _verb(request, review_id, services.cancel_review, ReviewCancelSerializer)


class ReviewMoveView(APIView):
    """Move a scheduled review, once, by up to 14 days."""

    @extend_schema(request=ReviewMoveSerializer, responses={200: ReviewDetailSerializer})
    def post(self, request: Request, review_id: int) -> Response:
        return _verb(request, review_id, services.move_review, ReviewMoveSerializer)


class ReviewNotesView(APIView):
    """The review's notes (Markdown, rendered sanitised on its pages)."""

    @extend_schema(request=ReviewNotesSerializer, responses={200: ReviewDetailSerializer})
    def put(self, request: Request, review_id: int) -> Response:
        return _verb(request, review_id, services.save_notes, ReviewNotesSerializer)


class ReviewAttendanceView(GenericAPIView[Any]):
    """Who was at the review; POST marks a person present or absent, or adds a guest."""

    serializer_class = ReviewAttendanceSerializer

    @extend_schema(responses={200: ReviewAttendanceSerializer(many=True)})
    def get(self, request: Request, review_id: int) -> Response:
        review, _ = review_selectors.get_visible_review(request.user, review_id)
        return paginated(
            self, review.attendance.select_related("person"), ReviewAttendanceSerializer
        )

    @extend_schema(
        request=ReviewAttendanceInputSerializer, responses={201: ReviewAttendanceSerializer}
    )
    def post(self, request: Request, review_id: int) -> Response:
        review, access = review_selectors.get_visible_review(request.user, review_id)
        given = ReviewAttendanceInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        row = services.set_attendance(
            actor=request.user,
            review=review,
            access=access,
            person=given.validated_data.get("person"),
            guest_name=given.validated_data.get("guest_name", ""),
            present=given.validated_data["present"],
        )
        return Response(ReviewAttendanceSerializer(row).data, status=status.HTTP_201_CREATED)


class ReviewDecisionsView(GenericAPIView[Any]):
    """The review's decisions; POST records one (linked to an agenda item's `key`)."""

    serializer_class = ReviewDecisionSerializer

    @extend_schema(responses={200: ReviewDecisionSerializer(many=True)})
    def get(self, request: Request, review_id: int) -> Response:
        review, _ = review_selectors.get_visible_review(request.user, review_id)
        return paginated(
            self, review.decisions.select_related("decided_by"), ReviewDecisionSerializer
        )

    @extend_schema(request=ReviewDecisionInputSerializer, responses={201: ReviewDecisionSerializer})
    def post(self, request: Request, review_id: int) -> Response:
        review, access = review_selectors.get_visible_review(request.user, review_id)
        given = ReviewDecisionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        decision = services.record_decision(
            actor=request.user, review=review, access=access, **given.validated_data
        )
        return Response(ReviewDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class ReviewActionsView(GenericAPIView[Any]):
    """The action items raised in the review; POST raises one (title, owner, due date)."""

    serializer_class = ReviewActionItemSerializer

    @extend_schema(responses={200: ReviewActionItemSerializer(many=True)})
    def get(self, request: Request, review_id: int) -> Response:
        review, _ = review_selectors.get_visible_review(request.user, review_id)
        return paginated(self, review_selectors.review_actions(review), ReviewActionItemSerializer)

    @extend_schema(request=ReviewActionInputSerializer, responses={201: ReviewActionItemSerializer})
    def post(self, request: Request, review_id: int) -> Response:
        review, access = review_selectors.get_visible_review(request.user, review_id)
        given = ReviewActionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        action = services.add_action(
            actor=request.user,
            review=review,
            access=access,
            title=given.validated_data["title"],
            owner=given.validated_data.get("owner"),
            due_on=given.validated_data.get("due_on"),
        )
        return Response(ReviewActionItemSerializer(action).data, status=status.HTTP_201_CREATED)


class ReviewChangesView(GenericAPIView[Any]):
    """Upcoming changes on the review's agenda; POST adds one before the review starts."""

    serializer_class = UpcomingChangeSerializer

    @extend_schema(responses={200: UpcomingChangeSerializer(many=True)})
    def get(self, request: Request, review_id: int) -> Response:
        review, _ = review_selectors.get_visible_review(request.user, review_id)
        return paginated(self, review.upcoming_changes.all(), UpcomingChangeSerializer)

    @extend_schema(request=UpcomingChangeInputSerializer, responses={201: UpcomingChangeSerializer})
    def post(self, request: Request, review_id: int) -> Response:
        review, access = review_selectors.get_visible_review(request.user, review_id)
        given = UpcomingChangeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        change = services.add_upcoming_change(
            actor=request.user,
            review=review,
            access=access,
            title=given.validated_data["title"],
            detail=given.validated_data.get("description", ""),
        )
        return Response(UpcomingChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class ActionItemView(APIView):
    """One review action item; PATCH closes it (done, or dropped with a reason) or reopens it:
    its owner or the programme's editors."""

    @extend_schema(responses={200: ReviewActionItemSerializer})
    def get(self, request: Request, action_id: int) -> Response:
        action, _ = review_selectors.get_visible_action(request.user, action_id)
        return Response(ReviewActionItemSerializer(action).data)

    @extend_schema(
        request=ReviewActionStatusSerializer, responses={200: ReviewActionItemSerializer}
    )
    def patch(self, request: Request, action_id: int) -> Response:
        action, access = review_selectors.get_visible_action(request.user, action_id)
        given = ReviewActionStatusSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        changed = services.set_action_status(
            actor=request.user, action=action, access=access, **given.validated_data
        )
        return Response(ReviewActionItemSerializer(changed).data)
