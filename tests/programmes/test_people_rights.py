"""Who may change a person's details, which decide where their digests and pages go: staff, the
person themself, and for someone without an account an owner of every programme naming them."""

import pytest
from django.test import Client

from programmes.models import Person
from programmes.notifications import notify
from tests.conftest import api_client_for
from tests.factories import PersonFactory, ProgrammeFactory, UserFactory, leadership_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_person(db) -> Person:
    """Person 1 of the issue: a leader, with an account, whose digests and pages matter."""
    return PersonFactory(name="Lena Leader", email="lena@example.com", user=leadership_user())


def change_email(user, person: Person, email: str = "attacker@example.com"):
    return api_client_for(user).patch(
        f"/api/v1/people/{person.pk}/", {"email": email}, format="json"
    )


def test_a_viewer_who_creates_a_programme_gains_no_hold_over_a_leader(viewer, leader_person):
    assert change_email(viewer, leader_person).status_code == 403

    client = api_client_for(viewer)
    created = client.post("/api/v1/programmes/", {"name": "Viewer's own"}, format="json")
    assert created.status_code == 201
    slug = created.json()["slug"]
    assert change_email(viewer, leader_person).status_code == 403

    # Naming the leader in that programme, or adding their account to it, changes nothing.
    named = client.patch(
        f"/api/v1/programmes/{slug}/", {"executive_sponsor": leader_person.pk}, format="json"
    )
    assert named.status_code == 200, named.content
    added = client.post(
        f"/api/v1/programmes/{slug}/members/",
        {"username": leader_person.user.username, "role": "viewer"},
        format="json",
    )
    assert added.status_code in (200, 201), added.content
    refused = change_email(viewer, leader_person)

    assert refused.status_code == 403
    leader_person.refresh_from_db()
    assert leader_person.email == "lena@example.com"


def test_a_person_changes_their_own_details(leader_person):
    response = change_email(leader_person.user, leader_person, "lena.new@example.com")
    assert response.status_code == 200
    leader_person.refresh_from_db()
    assert leader_person.email == "lena.new@example.com"


def test_staff_change_anyones_details(staff, leader_person):
    assert change_email(staff, leader_person, "lena@corp.example.com").status_code == 200


def test_an_owner_keeps_the_details_of_someone_without_an_account_that_only_they_name(
    owner, programme
):
    contractor = PersonFactory(name="Cal Contractor", email="cal@example.com")
    programme.technical_owner = contractor
    programme.save()
    assert change_email(owner, contractor, "cal@contractor.example.com").status_code == 200


def test_naming_someone_in_ones_own_programme_gives_no_hold_over_another_programmes_messages(
    owner, programme
):
    contractor = PersonFactory(name="Cal Contractor", email="cal@example.com")
    ProgrammeFactory(name="Someone else's", security_owner=contractor)
    programme.technical_owner = contractor
    programme.save()
    assert change_email(owner, contractor).status_code == 403

    paged_elsewhere = PersonFactory(name="Pat Paged", email="pat@example.com")
    programme.oncall_lead = paged_elsewhere
    programme.save()
    notify(
        recipient=paged_elsewhere,
        programme=ProgrammeFactory(name="Paging programme"),
        kind="incident_opened",
        occurrence="incident-opened:1",
        subject="You are paged",
        body="An incident.",
    )
    assert change_email(owner, paged_elsewhere).status_code == 403


def test_an_editor_cannot_change_a_person_they_do_not_own(editor, programme):
    colleague = PersonFactory(user=UserFactory(username="colleague"))
    programme.delivery_lead = colleague
    programme.save()
    assert change_email(editor, colleague).status_code == 403


def test_the_person_form_refuses_the_same_people(viewer, leader_person):
    api_client_for(viewer).post("/api/v1/programmes/", {"name": "Mine"}, format="json")
    client = Client()
    client.force_login(viewer)
    url = f"/people/{leader_person.pk}/edit/"
    assert client.get(url).status_code == 403
    posted = client.post(url, {"name": "Lena", "email": "attacker@example.com", "timezone": "UTC"})
    assert posted.status_code == 403
    leader_person.refresh_from_db()
    assert leader_person.email == "lena@example.com"


def test_a_machine_token_changes_nobody(owner, programme, leader_person):
    token = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/tokens/", {"name": "harness"}, format="json"
    )
    assert token.status_code == 201
    client = api_client_for(owner)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    response = client.patch(
        f"/api/v1/people/{leader_person.pk}/", {"email": "x@example.com"}, format="json"
    )
    assert response.status_code in (403, 404)
