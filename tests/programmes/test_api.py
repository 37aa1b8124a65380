import pytest
from rest_framework.test import APIClient

from programmes.models import ApiToken, AuditEvent, Membership, Programme, Role, Stage
from tests.conftest import api_client_for
from tests.factories import PASSWORD, PersonFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


# Authentication


def test_a_token_is_issued_for_a_username_and_password_and_works(owner, programme):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "olivia", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get("/api/v1/programmes/")
    assert listed.status_code == 200
    assert [row["slug"] for row in listed.json()["results"]] == ["claims-triage"]


def test_the_token_is_stored_hashed(owner):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "olivia", "password": PASSWORD}, format="json"
    )
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=owner)
    assert stored.key_hash == ApiToken.hash_key(token)
    assert token not in stored.key_hash


def test_a_wrong_password_gets_400_and_no_token(owner):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "olivia", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Unable to log in with the username and password given."]
    }
    assert not ApiToken.objects.exists()


def test_a_token_request_without_fields_names_them(db):
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_a_revoked_token_stops_working(owner):
    client = api_client_for(owner)
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/programmes/").status_code == 401


def test_anonymous_requests_are_refused(programme):
    assert APIClient().get("/api/v1/programmes/").status_code in {401, 403}


# Scoping: one function decides what each user sees


def test_a_member_lists_only_their_programmes(owner, programme, other_programme):
    response = api_client_for(owner).get("/api/v1/programmes/")
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["your_role"] == "owner"


def test_leadership_lists_every_programme(leader, programme, other_programme):
    body = api_client_for(leader).get("/api/v1/programmes/").json()
    assert {row["slug"] for row in body["results"]} == {"claims-triage", "fraud-summaries"}
    assert body["results"][0]["your_access"]["can_edit"] is False


def test_another_programmes_user_gets_404_everywhere(outsider, programme):
    client = api_client_for(outsider)
    base = "/api/v1/programmes/claims-triage/"
    assert client.get(base).status_code == 404
    assert client.patch(base, {"name": "Mine now"}, format="json").status_code == 404
    assert (
        client.post(
            base + "transition/", {"stage": "paused", "reason": "x"}, format="json"
        ).status_code
        == 404
    )
    assert client.get(base + "audit/").status_code == 404
    assert client.get(base + "transitions/").status_code == 404
    assert client.get(base + "members/").status_code == 404
    programme.refresh_from_db()
    assert programme.name == "Claims triage"


def test_leadership_may_read_but_not_write(leader, programme):
    client = api_client_for(leader)
    assert client.get("/api/v1/programmes/claims-triage/").status_code == 200
    assert (
        client.patch("/api/v1/programmes/claims-triage/", {"name": "X"}, format="json").status_code
        == 403
    )


# Each role × each write action


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.VIEWER, 403), (Role.EDITOR, 200), (Role.OWNER, 200)],
)
def test_patch_by_role(programme, role, expected):
    user = UserFactory()
    Membership.objects.create(programme=programme, user=user, role=role)
    response = api_client_for(user).patch(
        "/api/v1/programmes/claims-triage/", {"summary": "New summary"}, format="json"
    )
    assert response.status_code == expected
    programme.refresh_from_db()
    assert (programme.summary == "New summary") is (expected == 200)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.VIEWER, 403), (Role.EDITOR, 200), (Role.OWNER, 200)],
)
def test_transition_by_role(programme, role, expected):
    user = UserFactory()
    Membership.objects.create(programme=programme, user=user, role=role)
    response = api_client_for(user).post(
        "/api/v1/programmes/claims-triage/transition/",
        {"stage": "paused", "reason": "Budget freeze"},
        format="json",
    )
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.VIEWER, 403), (Role.EDITOR, 403), (Role.OWNER, 201)],
)
def test_adding_members_by_role(programme, role, expected):
    user = UserFactory()
    Membership.objects.create(programme=programme, user=user, role=role)
    UserFactory(username="newcomer")
    response = api_client_for(user).post(
        "/api/v1/programmes/claims-triage/members/",
        {"username": "newcomer", "role": "viewer"},
        format="json",
    )
    assert response.status_code == expected
    assert Membership.objects.filter(user__username="newcomer").exists() is (expected == 201)


def test_viewer_patch_is_403_and_changes_nothing(viewer, programme):
    response = api_client_for(viewer).patch(
        "/api/v1/programmes/claims-triage/", {"name": "Hijacked"}, format="json"
    )
    assert response.status_code == 403
    programme.refresh_from_db()
    assert programme.name == "Claims triage"
    assert not AuditEvent.objects.exists()


# Validation


def test_create_without_a_name_and_with_an_unknown_stage_gets_field_errors(owner):
    response = api_client_for(owner).post(
        "/api/v1/programmes/", {"stage": "launched"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == ["This field is required."]
    assert body["stage"] == ['"launched" is not a valid choice.']


def test_create_straight_into_production_is_refused(owner):
    response = api_client_for(owner).post(
        "/api/v1/programmes/", {"name": "Shortcut", "stage": "production"}, format="json"
    )
    assert response.status_code == 400
    assert "readiness review" in response.json()["stage"][0]
    assert not Programme.objects.filter(name="Shortcut").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"review_timezone": "Mars/Olympus"}, "review_timezone"),
        ({"regression_day": 31}, "regression_day"),
        ({"cost_envelope": "-5"}, "cost_envelope"),
        ({"cost_envelope": "lots"}, "cost_envelope"),
        ({"cost_currency": "euro"}, "cost_currency"),
        ({"review_weekday": 9}, "review_weekday"),
        ({"programme_owner": 999999}, "programme_owner"),
        ({"review_time": "25:00"}, "review_time"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"stage": "retired"}, "stage"),
    ],
)
def test_bad_updates_get_400_naming_the_field(owner, programme, payload, field):
    response = api_client_for(owner).patch(
        "/api/v1/programmes/claims-triage/", payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_non_json_and_wrong_types_never_500(owner, programme):
    client = api_client_for(owner)
    response = client.post("/api/v1/programmes/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post("/api/v1/programmes/", [1, 2, 3], format="json")
    assert response.status_code == 400
    response = client.post(
        "/api/v1/programmes/claims-triage/transition/", {"stage": ["x"]}, format="json"
    )
    assert response.status_code == 400


def test_create_then_read_shows_named_owners(owner):
    sponsor = PersonFactory(name="Helen Okafor")
    response = api_client_for(owner).post(
        "/api/v1/programmes/",
        {
            "name": "Support copilot",
            "business_unit": "Customer service",
            "executive_sponsor": sponsor.pk,
            "cost_envelope": "9500.00",
            "review_weekday": 2,
            "review_time": "09:30",
            "review_timezone": "Europe/London",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "support-copilot"
    assert body["executive_sponsor"] == {
        "id": sponsor.pk,
        "name": "Helen Okafor",
        "email": sponsor.email,
    }
    assert body["programme_owner"] is None
    assert body["your_role"] == "owner"
    assert body["review_weekday_label"] == "Wednesday"


# Transitions and audit


def test_production_from_pilot_answers_400_with_a_reason(owner, programme):
    response = api_client_for(owner).post(
        "/api/v1/programmes/claims-triage/transition/",
        {"stage": "production", "reason": "Ship it"},
        format="json",
    )
    assert response.status_code == 400
    assert "production" in response.json()["stage"][0]
    programme.refresh_from_db()
    assert programme.stage == Stage.PILOT


def test_an_allowed_transition_is_recorded_and_listed(owner, programme):
    client = api_client_for(owner)
    response = client.post(
        "/api/v1/programmes/claims-triage/transition/",
        {"stage": "readiness_review", "reason": "Target met"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["actor"] == "olivia"
    history = client.get("/api/v1/programmes/claims-triage/transitions/").json()
    assert history["count"] == 1
    assert history["results"][0]["reason"] == "Target met"
    assert client.get("/api/v1/programmes/claims-triage/").json()["stage"] == "readiness_review"


def test_a_transition_without_a_reason_is_400(owner, programme):
    response = api_client_for(owner).post(
        "/api/v1/programmes/claims-triage/transition/", {"stage": "paused"}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()


def test_an_api_patch_shows_in_the_audit_with_actor_and_before_after(owner, programme):
    client = api_client_for(owner)
    client.patch(
        "/api/v1/programmes/claims-triage/",
        {"summary": "Routes motor claims"},
        format="json",
        HTTP_X_REQUEST_ID="req-123",
    )
    audit = client.get("/api/v1/programmes/claims-triage/audit/").json()
    assert audit["count"] == 1
    event = audit["results"][0]
    assert event["actor"] == "olivia"
    assert event["action"] == "update"
    assert event["before"] == {"summary": ""}
    assert event["after"] == {"summary": "Routes motor claims"}
    assert event["request_id"] == "req-123"


def test_the_last_owner_cannot_demote_themselves_through_the_api(owner, programme):
    membership = Membership.objects.get(user=owner)
    response = api_client_for(owner).patch(
        f"/api/v1/programmes/claims-triage/members/{membership.pk}/",
        {"role": "viewer"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"role": ["A programme needs at least one owner."]}


def test_members_can_be_changed_and_removed_by_an_owner(owner, viewer, programme):
    client = api_client_for(owner)
    membership = Membership.objects.get(user=viewer)
    url = f"/api/v1/programmes/claims-triage/members/{membership.pk}/"
    assert client.patch(url, {"role": "editor"}, format="json").json()["role"] == "editor"
    assert client.delete(url).status_code == 204
    assert api_client_for(viewer).get("/api/v1/programmes/claims-triage/").status_code == 404


def test_a_member_of_another_programme_is_404_on_members(owner, programme, other_programme):
    stranger = Membership.objects.create(
        programme=other_programme, user=UserFactory(), role=Role.VIEWER
    )
    response = api_client_for(owner).delete(
        f"/api/v1/programmes/claims-triage/members/{stranger.pk}/"
    )
    assert response.status_code == 404


# People


def test_people_are_listed_for_every_user_and_created_by_editors(editor, viewer):
    PersonFactory(name="Ada")
    assert api_client_for(viewer).get("/api/v1/people/").json()["count"] == 1
    refused = api_client_for(viewer).post(
        "/api/v1/people/", {"name": "Bo", "email": "bo@example.com"}, format="json"
    )
    assert refused.status_code == 403
    created = api_client_for(editor).post(
        "/api/v1/people/",
        {"name": "Bo", "email": "bo@example.com", "timezone": "Europe/Paris"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["timezone"] == "Europe/Paris"
    assert AuditEvent.objects.filter(object_type="person", action="create").count() == 1


def test_a_person_with_a_bad_timezone_or_email_gets_field_errors(editor):
    response = api_client_for(editor).post(
        "/api/v1/people/",
        {"name": "Bo", "email": "not-an-email", "timezone": "Nowhere"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"email", "timezone"}


# Query counts


def test_the_programme_list_runs_a_constant_number_of_queries(
    django_assert_max_num_queries, leader
):
    sponsors = PersonFactory.create_batch(5)
    for index in range(60):
        ProgrammeFactory(executive_sponsor=sponsors[index % 5], programme_owner=sponsors[0])
    client = api_client_for(leader)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/programmes/?page=1")
    assert response.json()["count"] == 60
    assert len(response.json()["results"]) == 50
