from decimal import Decimal

import pytest

from programmes import services
from programmes.errors import DomainError, NotAllowed
from programmes.models import AuditEvent, Membership, Programme, Role, Stage, StageTransition
from programmes.rules import access_for
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

OWNER_ACCESS = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
EDITOR_ACCESS = access_for(role=Role.EDITOR, is_staff=False, is_leadership=False)
VIEWER_ACCESS = access_for(role=Role.VIEWER, is_staff=False, is_leadership=False)


def test_creating_a_programme_makes_its_creator_owner_and_is_audited():
    creator = UserFactory(username="maria")
    programme = services.create_programme(actor=creator, name="Claims triage assistant")

    assert programme.slug == "claims-triage-assistant"
    assert programme.stage == Stage.PILOT
    assert Membership.objects.get(programme=programme).role == Role.OWNER
    actions = list(
        AuditEvent.objects.filter(programme=programme).values_list("object_type", "action")
    )
    assert sorted(actions) == [("membership", "create"), ("programme", "create")]
    created = AuditEvent.objects.get(object_type="programme")
    assert created.actor_label == "maria"
    assert created.after["name"] == "Claims triage assistant"


def test_a_taken_address_gets_a_fresh_one():
    creator = UserFactory()
    first = services.create_programme(actor=creator, name="Copilot")
    second = services.create_programme(actor=creator, name="Copilot!")
    assert (first.slug, second.slug) == ("copilot", "copilot-2")


def test_a_taken_address_asked_for_explicitly_is_refused():
    creator = UserFactory()
    services.create_programme(actor=creator, name="Copilot", slug="copilot")
    with pytest.raises(DomainError) as refused:
        services.create_programme(actor=creator, name="Other", slug="copilot")
    assert refused.value.field == "slug"


def test_a_new_programme_cannot_start_in_production():
    with pytest.raises(DomainError) as refused:
        services.create_programme(actor=UserFactory(), name="Shortcut", stage=Stage.PRODUCTION)
    assert refused.value.field == "stage"
    assert not Programme.objects.exists()
    assert not AuditEvent.objects.exists()


def test_update_records_only_the_changed_fields_with_owner_names(programme):
    editor = UserFactory(username="eddie")
    sponsor = PersonFactory(name="Helen Okafor")
    services.update_programme(
        actor=editor,
        programme=programme,
        access=EDITOR_ACCESS,
        executive_sponsor=sponsor,
        cost_envelope=Decimal("1200.50"),
        business_unit=programme.business_unit,
    )
    event = AuditEvent.objects.get(action="update")
    assert event.before == {"executive_sponsor": None, "cost_envelope": None}
    assert event.after == {
        "executive_sponsor": {"id": sponsor.pk, "name": "Helen Okafor"},
        "cost_envelope": "1200.50",
    }
    assert event.actor_label == "eddie"


def test_an_update_that_changes_nothing_leaves_no_event(programme):
    services.update_programme(
        actor=UserFactory(), programme=programme, access=EDITOR_ACCESS, name=programme.name
    )
    assert not AuditEvent.objects.exists()


def test_a_viewer_cannot_update(programme):
    with pytest.raises(NotAllowed):
        services.update_programme(
            actor=UserFactory(), programme=programme, access=VIEWER_ACCESS, name="Renamed"
        )
    programme.refresh_from_db()
    assert programme.name == "Claims triage"


def test_the_stage_is_not_changed_by_an_edit(programme):
    with pytest.raises(DomainError) as refused:
        services.update_programme(
            actor=UserFactory(), programme=programme, access=OWNER_ACCESS, stage=Stage.RETIRED
        )
    assert refused.value.field == "stage"
    assert "transition" in refused.value.message


def test_invalid_values_are_refused_and_nothing_is_saved(programme):
    with pytest.raises(DomainError) as refused:
        services.update_programme(
            actor=UserFactory(),
            programme=programme,
            access=OWNER_ACCESS,
            name="Renamed",
            review_timezone="Mars/Olympus",
        )
    assert refused.value.field == "review_timezone"
    programme.refresh_from_db()
    assert programme.name == "Claims triage"
    assert not AuditEvent.objects.exists()


def test_a_transition_is_recorded_with_who_and_why(programme):
    actor = UserFactory(username="eddie")
    services.transition_programme(
        actor=actor,
        programme=programme,
        access=EDITOR_ACCESS,
        to_stage=Stage.READINESS_REVIEW,
        reason="Target met for six weeks",
    )
    programme.refresh_from_db()
    assert programme.stage == Stage.READINESS_REVIEW
    transition = StageTransition.objects.get()
    assert (transition.from_stage, transition.to_stage, transition.actor) == (
        Stage.PILOT,
        Stage.READINESS_REVIEW,
        actor,
    )
    assert transition.reason == "Target met for six weeks"
    event = AuditEvent.objects.get(action="transition")
    assert event.before == {"stage": "pilot"}
    assert event.after == {"stage": "readiness_review", "reason": "Target met for six weeks"}


def test_a_transition_needs_a_reason(programme):
    with pytest.raises(DomainError) as refused:
        services.transition_programme(
            actor=UserFactory(),
            programme=programme,
            access=OWNER_ACCESS,
            to_stage=Stage.PAUSED,
            reason="   ",
        )
    assert refused.value.field == "reason"
    assert not StageTransition.objects.exists()


def test_production_is_refused_until_a_readiness_review_passes(programme):
    services.transition_programme(
        actor=UserFactory(),
        programme=programme,
        access=OWNER_ACCESS,
        to_stage=Stage.READINESS_REVIEW,
        reason="Ready",
    )
    with pytest.raises(DomainError) as refused:
        services.transition_programme(
            actor=UserFactory(),
            programme=programme,
            access=OWNER_ACCESS,
            to_stage=Stage.PRODUCTION,
            reason="Ship it",
        )
    assert "readiness review" in refused.value.message
    programme.refresh_from_db()
    assert programme.stage == Stage.READINESS_REVIEW


def test_a_viewer_cannot_transition(programme):
    with pytest.raises(NotAllowed):
        services.transition_programme(
            actor=UserFactory(),
            programme=programme,
            access=VIEWER_ACCESS,
            to_stage=Stage.PAUSED,
            reason="No",
        )


def test_the_last_owner_cannot_be_demoted_or_removed(programme):
    only_owner = Membership.objects.create(programme=programme, user=UserFactory(), role=Role.OWNER)
    with pytest.raises(DomainError, match="at least one owner"):
        services.change_member_role(
            actor=UserFactory(), membership=only_owner, access=OWNER_ACCESS, role=Role.VIEWER
        )
    with pytest.raises(DomainError, match="at least one owner"):
        services.remove_member(actor=UserFactory(), membership=only_owner, access=OWNER_ACCESS)
    assert Membership.objects.get().role == Role.OWNER


def test_member_changes_are_audited(programme):
    actor = UserFactory(username="olivia")
    membership = services.add_member(
        actor=actor, programme=programme, user=UserFactory(username="newbie"), role=Role.VIEWER
    )
    services.change_member_role(
        actor=actor, membership=membership, access=OWNER_ACCESS, role=Role.EDITOR
    )
    services.remove_member(actor=actor, membership=membership, access=OWNER_ACCESS)
    events = AuditEvent.objects.filter(object_type="membership").order_by("id")
    assert [event.action for event in events] == ["create", "update", "delete"]
    assert events[1].before == {"role": "viewer"}
    assert events[1].after == {"role": "editor"}
    assert events[2].before["user"]["name"] == "newbie"


def test_adding_a_member_twice_is_refused(programme):
    user = UserFactory()
    services.add_member(actor=user, programme=programme, user=user, role=Role.VIEWER)
    with pytest.raises(DomainError, match="already a member"):
        services.add_member(actor=user, programme=programme, user=user, role=Role.EDITOR)


def test_people_directory_changes_need_an_editor_somewhere(programme):
    nobody = UserFactory()
    with pytest.raises(NotAllowed):
        services.create_person(actor=nobody, name="Ada", email="ada@example.com")

    editor = UserFactory()
    Membership.objects.create(programme=programme, user=editor, role=Role.OWNER)
    person = services.create_person(actor=editor, name="Ada", email="ada@example.com")
    programme.delivery_lead = person
    programme.save()
    services.update_person(actor=editor, person=person, timezone="Europe/Paris")
    events = AuditEvent.objects.filter(object_type="person").order_by("id")
    assert [event.action for event in events] == ["create", "update"]
    assert events[1].after == {"timezone": "Europe/Paris"}


def test_a_duplicate_email_in_the_directory_is_refused(programme):
    staff = UserFactory(is_staff=True)
    services.create_person(actor=staff, name="Ada", email="ada@example.com")
    with pytest.raises(DomainError) as refused:
        services.create_person(actor=staff, name="Ada Two", email="ada@example.com")
    assert refused.value.field == "email"
