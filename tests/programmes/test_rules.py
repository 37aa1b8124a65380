import pytest

from programmes.models import Role, Stage
from programmes.rules import ALLOWED_TRANSITIONS, access_for, transition_refusal


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [
        (Stage.PILOT, Stage.READINESS_REVIEW),
        (Stage.PILOT, Stage.PAUSED),
        (Stage.READINESS_REVIEW, Stage.PILOT),
        (Stage.PRODUCTION, Stage.PAUSED),
        (Stage.PAUSED, Stage.PILOT),
        (Stage.RESCOPED, Stage.PILOT),
        (Stage.PILOT, Stage.RETIRED),
    ],
)
def test_allowed_transitions_are_accepted(from_stage, to_stage):
    assert (
        transition_refusal(from_stage=from_stage, to_stage=to_stage, readiness_review_passed=False)
        is None
    )


def test_production_from_pilot_is_refused_even_with_a_passed_review():
    refusal = transition_refusal(
        from_stage=Stage.PILOT, to_stage=Stage.PRODUCTION, readiness_review_passed=True
    )
    assert refusal is not None
    assert "from pilot to production" in refusal


def test_production_needs_a_passed_readiness_review():
    refusal = transition_refusal(
        from_stage=Stage.READINESS_REVIEW, to_stage=Stage.PRODUCTION, readiness_review_passed=False
    )
    assert refusal is not None
    assert "passed readiness review" in refusal


def test_production_opens_once_the_readiness_review_has_passed():
    assert (
        transition_refusal(
            from_stage=Stage.READINESS_REVIEW,
            to_stage=Stage.PRODUCTION,
            readiness_review_passed=True,
        )
        is None
    )


def test_moving_to_the_same_stage_is_refused():
    refusal = transition_refusal(
        from_stage=Stage.PILOT, to_stage=Stage.PILOT, readiness_review_passed=False
    )
    assert refusal == "The programme is already in pilot."


def test_a_retired_programme_never_changes_stage():
    for to_stage in Stage.values:
        assert transition_refusal(
            from_stage=Stage.RETIRED, to_stage=to_stage, readiness_review_passed=True
        )


def test_an_unknown_stage_is_named_in_the_refusal():
    refusal = transition_refusal(
        from_stage=Stage.PILOT, to_stage="launched", readiness_review_passed=False
    )
    assert refusal is not None
    assert "“launched” is not a stage" in refusal


def test_every_stage_has_a_rule():
    assert set(ALLOWED_TRANSITIONS) == set(Stage.values)


# Each standing × each action: (role, staff, leadership) → (view, edit, transition, manage members)
ACCESS_MATRIX = [
    ((None, False, False), (False, False, False, False)),
    ((Role.VIEWER, False, False), (True, False, False, False)),
    ((Role.EDITOR, False, False), (True, True, True, False)),
    ((Role.OWNER, False, False), (True, True, True, True)),
    ((None, False, True), (True, False, False, False)),
    ((Role.EDITOR, False, True), (True, True, True, False)),
    ((None, True, False), (True, True, True, True)),
]


@pytest.mark.parametrize(("standing", "expected"), ACCESS_MATRIX)
def test_access_matrix(standing, expected):
    role, is_staff, is_leadership = standing
    access = access_for(role=role, is_staff=is_staff, is_leadership=is_leadership)
    assert (
        access.can_view,
        access.can_edit,
        access.can_transition,
        access.can_manage_members,
    ) == expected
