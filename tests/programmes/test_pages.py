import pytest
from django.test import Client

from programmes.models import AuditEvent, Membership, Programme, Role, Stage
from tests.factories import PersonFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_a_login(programme):
    response = Client().get("/programmes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_logging_in_and_out_with_the_login_page(owner, programme):
    client = Client()
    response = client.post("/login/", {"username": "olivia", "password": "wrong"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    response = client.post(
        "/login/", {"username": "olivia", "password": "correct horse battery staple"}, follow=True
    )
    assert "Claims triage" in response.content.decode()
    client.post("/logout/")
    assert client.get("/programmes/").status_code == 302


def test_the_programme_list_shows_only_the_users_programmes(owner, programme, other_programme):
    body = client_for(owner).get("/programmes/").content.decode()
    assert "Claims triage" in body
    assert "Fraud summaries" not in body


def test_the_programme_list_filters_by_stage(leader, programme, other_programme):
    Programme.objects.filter(pk=other_programme.pk).update(stage=Stage.PAUSED)
    body = client_for(leader).get("/programmes/?stage=paused").content.decode()
    assert "Fraud summaries" in body
    assert "Claims triage" not in body


def test_a_non_member_gets_404_on_every_programme_page(outsider, programme):
    client = client_for(outsider)
    for path in ["", "edit/", "audit/"]:
        assert client.get(f"/programmes/claims-triage/{path}").status_code == 404
    assert client.post("/programmes/claims-triage/transition/", {}).status_code == 404
    assert client.post("/programmes/claims-triage/members/", {}).status_code == 404


# Each role × each page action: (view, edit page, transition, manage members)
PAGE_MATRIX = [
    (Role.VIEWER, (200, 403, 403, 403)),
    (Role.EDITOR, (200, 200, 302, 403)),
    (Role.OWNER, (200, 200, 302, 302)),
]


@pytest.mark.parametrize(("role", "expected"), PAGE_MATRIX)
def test_page_permissions_by_role(programme, role, expected):
    user = UserFactory()
    Membership.objects.create(programme=programme, user=user, role=role)
    UserFactory(username="newcomer")
    client = client_for(user)
    got = (
        client.get("/programmes/claims-triage/").status_code,
        client.get("/programmes/claims-triage/edit/").status_code,
        client.post(
            "/programmes/claims-triage/transition/", {"stage": "paused", "reason": "Budget"}
        ).status_code,
        client.post(
            "/programmes/claims-triage/members/", {"username": "newcomer", "role": "viewer"}
        ).status_code,
    )
    assert got == expected


def test_leadership_reads_a_programme_without_edit_controls(leader, programme):
    body = client_for(leader).get("/programmes/claims-triage/").content.decode()
    assert "Claims triage" in body
    assert "/programmes/claims-triage/edit/" not in body
    assert "Change stage" not in body


def test_the_overview_shows_owners_members_and_transitions(owner, programme):
    programme.programme_owner = PersonFactory(name="Marco Bianchi")
    programme.save()
    client = client_for(owner)
    client.post(
        "/programmes/claims-triage/transition/",
        {"stage": "readiness_review", "reason": "Target met"},
    )
    body = client.get("/programmes/claims-triage/").content.decode()
    assert "Marco Bianchi" in body
    assert "Nobody named" in body  # the seven other owner roles
    assert "olivia" in body
    assert "Target met" in body
    assert "Readiness review" in body


def test_creating_a_programme_with_an_error_rerenders_the_form_inline(owner):
    client = client_for(owner)
    response = client.post(
        "/programmes/new/", {"name": "", "stage": "pilot"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<html" not in body  # only the form partial comes back to htmx
    assert "This field is required." in body
    assert (
        not Programme.objects.filter(memberships__user=owner).exclude(slug="claims-triage").exists()
    )


def test_creating_a_programme_redirects_to_it(owner):
    response = client_for(owner).post(
        "/programmes/new/",
        {
            "name": "Invoice matching",
            "stage": "pilot",
            "review_weekday": 1,
            "review_time": "10:00",
            "review_timezone": "Europe/London",
            "regression_day": 3,
            "cost_currency": "EUR",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/programmes/invoice-matching/"
    assert Programme.objects.get(slug="invoice-matching").memberships.get().user == owner


def test_a_page_edit_shows_in_the_audit_with_actor_and_before_after(editor, programme):
    client = client_for(editor)
    form = {
        "name": "Claims triage",
        "summary": "Now with photos",
        "business_unit": "Operations",
        "review_weekday": 1,
        "review_time": "10:00",
        "review_timezone": "UTC",
        "regression_day": 1,
        "cost_envelope": "2500",
        "cost_currency": "EUR",
    }
    assert client.post("/programmes/claims-triage/edit/", form).status_code == 302
    event = AuditEvent.objects.get(action="update")
    assert event.actor_label == "eddie"
    assert event.before == {"summary": "", "cost_envelope": None}
    assert event.after == {"summary": "Now with photos", "cost_envelope": "2500.00"}
    page = client.get("/programmes/claims-triage/audit/").content.decode()
    assert "Now with photos" in page
    assert "eddie" in page


def test_an_invalid_edit_rerenders_the_form_and_saves_nothing(editor, programme):
    response = client_for(editor).post(
        "/programmes/claims-triage/edit/",
        {"name": "Renamed", "review_timezone": "Nowhere", "regression_day": 40},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "is not a known time zone" in body
    assert "Ensure this value is less than or equal to 28." in body
    programme.refresh_from_db()
    assert programme.name == "Claims triage"


def test_a_refused_transition_shows_the_reason(owner, programme):
    response = client_for(owner).post(
        "/programmes/claims-triage/transition/", {"stage": "production", "reason": "Ship"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_people_directory_page_and_form(editor):
    client = client_for(editor)
    response = client.post("/people/new/", {"name": "Ada", "email": "bad", "timezone": "UTC"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    response = client.post(
        "/people/new/",
        {"name": "Ada Lovelace", "email": "ada@example.com", "timezone": "Europe/London"},
    )
    assert response.status_code == 302
    assert "Ada Lovelace" in client.get("/people/").content.decode()


def test_a_viewer_cannot_open_the_people_form(viewer):
    assert client_for(viewer).get("/people/new/").status_code == 403


def test_pages_run_a_constant_number_of_queries(django_assert_max_num_queries, owner, programme):
    people = PersonFactory.create_batch(40)
    for field in ["executive_sponsor", "programme_owner", "technical_owner", "oncall_lead"]:
        setattr(programme, field, people[0])
    programme.save()
    for index in range(40):
        Membership.objects.create(programme=programme, user=UserFactory(), role=Role.VIEWER)
        ProgrammeFactory(programme_owner=people[index]).memberships.create(
            user=owner, role=Role.OWNER
        )
    client = client_for(owner)
    with django_assert_max_num_queries(8):
        assert client.get("/programmes/").status_code == 200
    # The overview's panels count with it (the stop conditions' is up to three, governance's
    # pilot verdict reads three tables), and the programme's owners are one query for the
    # people, not eight joins.
    with django_assert_max_num_queries(17):
        assert client.get("/programmes/claims-triage/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/people/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/programmes/claims-triage/audit/").status_code == 200
