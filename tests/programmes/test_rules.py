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
    assert transition_refusal(from_stage=from_stage, to_stage=to_stage) is None


def test_production_from_pilot_is_refused_by_the_lifecycle():
    refusal = transition_refusal(from_stage=Stage.PILOT, to_stage=Stage.PRODUCTION)
    assert refusal is not None
    assert "from pilot to production" in refusal


def test_moving_to_the_same_stage_is_refused():
    refusal = transition_refusal(from_stage=Stage.PILOT, to_stage=Stage.PILOT)
    assert refusal == "The programme is already in pilot."


def test_a_retired_programme_never_changes_stage():
    for to_stage in Stage.values:
        assert transition_refusal(from_stage=Stage.RETIRED, to_stage=to_stage)


def test_an_unknown_stage_is_named_in_the_refusal():
    refusal = transition_refusal(from_stage=Stage.PILOT, to_stage="launched")
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
