import pytest
from django.test import Client

from programmes.models import (
    AuditEvent,
    Channel,
    Notification,
    NotificationPreference,
    Role,
)
from programmes.notification_kinds import OWNERSHIP_GAP, REGRESSION_WORK
from programmes.notifications import notify
from programmes.registry.notification_kinds import kind_keys
from tests.conftest import api_client_for
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def remind(programme, person, *, kind=REGRESSION_WORK, occurrence=None):
    return notify(
        recipient=person,
        programme=programme,
        kind=kind,
        occurrence=occurrence or f"test:{programme.slug}:{kind}",
        subject=f"{programme.name}: reminder",
        body="Body",
        link=programme.get_absolute_url(),
    )


# Slack webhook: allow-listed https only


def test_a_webhook_outside_the_allow_list_is_refused_with_a_clear_message(owner, programme):
    response = api_client_for(owner).patch(
        "/api/v1/programmes/claims-triage/",
        {"slack_webhook_url": "https://evil.example.com/hook"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["slack_webhook_url"] == [
        "Keel does not post to “evil.example.com”. Allowed webhook hosts: hooks.slack.com "
        "(setting KEEL_WEBHOOK_ALLOWED_HOSTS)."
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.slack.com/services/x", "A webhook URL must start with https://."),
        ("https://user:pw@hooks.slack.com/x", "must not carry a user name or password"),
        ("https://hooks.slack.com.evil.example/x", "Keel does not post to"),
        ("not a url", "Enter a valid URL."),
    ],
)
def test_unsafe_webhook_urls_are_refused(owner, programme, url, message):
    response = api_client_for(owner).patch(
        "/api/v1/programmes/claims-triage/", {"slack_webhook_url": url}, format="json"
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["slack_webhook_url"])


def test_an_allowed_webhook_is_stored_but_never_shown_back(owner, programme):
    url = "https://hooks.slack.com/services/T0/B0/abcdSECRET1234"
    client = api_client_for(owner)
    response = client.patch(
        "/api/v1/programmes/claims-triage/", {"slack_webhook_url": url}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert "slack_webhook_url" not in body
    assert body["slack_webhook"] == "hooks.slack.com/…1234"
    event = AuditEvent.objects.get(action="update")
    assert event.after == {"slack_webhook_url": "hooks.slack.com/…1234"}
    assert url not in str(event.after)


def test_the_edit_page_refuses_a_webhook_outside_the_allow_list(owner, programme):
    client = Client()
    client.force_login(owner)
    response = client.post(
        "/programmes/claims-triage/edit/",
        {
            "name": "Claims triage",
            "review_weekday": 1,
            "review_time": "10:00",
            "review_timezone": "UTC",
            "regression_day": 1,
            "cost_currency": "EUR",
            "slack_webhook_url": "https://example.org/hook",
        },
    )
    assert response.status_code == 400
    assert "Keel does not post to “example.org”" in response.content.decode()


def test_the_edit_page_keeps_a_webhook_left_blank_and_removes_it_on_request(owner, programme):
    programme.slack_webhook_url = "https://hooks.slack.com/services/T0/B0/keepme"
    programme.save()
    client = Client()
    client.force_login(owner)
    form = {
        "name": "Claims triage",
        "review_weekday": 1,
        "review_time": "10:00",
        "review_timezone": "UTC",
        "regression_day": 1,
        "cost_currency": "EUR",
    }
    page = client.get("/programmes/claims-triage/edit/").content.decode()
    assert "keepme" not in page
    assert client.post("/programmes/claims-triage/edit/", form).status_code == 302
    programme.refresh_from_db()
    assert programme.slack_webhook_url.endswith("keepme")
    assert (
        client.post(
            "/programmes/claims-triage/edit/", {**form, "remove_slack_webhook": "on"}
        ).status_code
        == 302
    )
    programme.refresh_from_db()
    assert programme.slack_webhook_url == ""


# The notification log


def test_the_log_lists_kind_channel_status_and_attempts_of_visible_programmes(
    owner, programme, other_programme
):
    remind(programme, PersonFactory())
    remind(other_programme, PersonFactory())
    response = api_client_for(owner).get("/api/v1/notifications/?programme=claims-triage")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    row = next(item for item in body["results"] if item["channel"] == "email")
    assert {key: row[key] for key in ["kind", "channel", "status", "attempts", "programme"]} == {
        "kind": "regression_work",
        "channel": "email",
        "status": "queued",
        "attempts": 0,
        "programme": "claims-triage",
    }
    everything = api_client_for(owner).get("/api/v1/notifications/").json()
    assert {item["programme"] for item in everything["results"]} == {"claims-triage"}


def test_another_programmes_user_cannot_see_its_notifications(outsider, programme):
    rows = remind(programme, PersonFactory())
    client = api_client_for(outsider)
    assert client.get("/api/v1/notifications/?programme=claims-triage").status_code == 404
    assert client.get(f"/api/v1/notifications/{rows[0].pk}/").status_code == 404
    assert client.get("/api/v1/notifications/").json()["count"] == 0
    assert client.post(f"/api/v1/notifications/{rows[0].pk}/read/").status_code == 404


def test_a_person_sees_their_own_notifications_of_programmes_they_cannot_see(programme):
    user = UserFactory()
    person = PersonFactory(user=user)
    remind(programme, person)
    body = api_client_for(user).get("/api/v1/notifications/").json()
    assert body["count"] == 2


def test_the_log_filters_by_kind_status_and_channel(owner, programme):
    remind(programme, PersonFactory())
    remind(programme, PersonFactory(), kind=OWNERSHIP_GAP)
    client = api_client_for(owner)
    assert client.get("/api/v1/notifications/?kind=ownership_gap").json()["count"] == 2
    assert client.get("/api/v1/notifications/?status=sent").json()["count"] == 2  # in-app rows
    assert client.get("/api/v1/notifications/?channel=email&status=queued").json()["count"] == 2


def test_bad_filters_get_400_naming_them(owner, programme):
    response = api_client_for(owner).get("/api/v1/notifications/?status=lost&channel=pigeon")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "channel"}


def test_the_log_runs_a_constant_number_of_queries(django_assert_max_num_queries, owner, programme):
    for index in range(60):
        remind(programme, PersonFactory(), occurrence=f"bulk:{index}")
    with django_assert_max_num_queries(8):
        response = api_client_for(owner).get("/api/v1/notifications/?programme=claims-triage")
    assert response.json()["count"] == 120


# Inbox and preferences


def test_marking_read_through_the_api(programme):
    user = UserFactory()
    person = PersonFactory(user=user)
    in_app = next(row for row in remind(programme, person) if row.channel == Channel.IN_APP)
    response = api_client_for(user).post(f"/api/v1/notifications/{in_app.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None


def test_preferences_are_read_and_changed_through_the_api(db):
    user = UserFactory()
    person = PersonFactory(user=user)
    client = api_client_for(user)
    current = client.get("/api/v1/me/notification-preferences/").json()
    assert all(row["enabled"] for row in current)
    response = client.put(
        "/api/v1/me/notification-preferences/",
        [{"kind": "portfolio_digest", "channel": "email", "enabled": False}],
        format="json",
    )
    assert response.status_code == 200
    assert {"kind": "portfolio_digest", "channel": "email", "enabled": False} in response.json()
    assert NotificationPreference.objects.get(person=person).enabled is False
    bad = client.put(
        "/api/v1/me/notification-preferences/",
        [{"kind": "gossip", "channel": "in_app", "enabled": "maybe"}],
        format="json",
    )
    assert bad.status_code == 400


def test_preferences_need_a_linked_person(db):
    response = api_client_for(UserFactory()).get("/api/v1/me/notification-preferences/")
    assert response.status_code == 400
    assert "not linked to a person" in response.json()["non_field_errors"][0]


def test_the_inbox_page_shows_the_unread_count_and_marks_read_with_htmx(programme):
    user = UserFactory()
    person = PersonFactory(user=user)
    MembershipFactory(programme=programme, user=user, role=Role.VIEWER)
    remind(programme, person)
    in_app = Notification.objects.get(channel=Channel.IN_APP)
    client = Client()
    client.force_login(user)
    page = client.get("/inbox/").content.decode()
    assert 'aria-label="1 unread"' in page
    assert "Claims triage: reminder" in page
    fragment = client.post(f"/inbox/{in_app.pk}/read/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'hx-swap-oob="true"' in fragment
    assert 'aria-label="0 unread"' in fragment
    in_app.refresh_from_db()
    assert in_app.read_at is not None


def test_someone_elses_notification_cannot_be_marked_read(programme):
    rows = remind(programme, PersonFactory(user=UserFactory()))
    in_app = next(row for row in rows if row.channel == Channel.IN_APP)
    client = Client()
    client.force_login(UserFactory())
    assert client.post(f"/inbox/{in_app.pk}/read/").status_code == 404


def test_the_preferences_page_switches_email_off(db):
    user = UserFactory()
    person = PersonFactory(user=user)
    client = Client()
    client.force_login(user)
    assert client.get("/inbox/preferences/").status_code == 200
    wanted = {f"{kind}__{channel}": "on" for kind in kind_keys() for channel in ["email", "slack"]}
    del wanted["regression_work__email"]
    assert client.post("/inbox/preferences/", wanted).status_code == 302
    off = NotificationPreference.objects.filter(person=person, enabled=False)
    assert list(off.values_list("kind", "channel")) == [("regression_work", "email")]


def test_the_programme_notification_log_page(owner, programme, django_assert_max_num_queries):
    for index in range(30):
        remind(programme, PersonFactory(), occurrence=f"page:{index}")
    client = Client()
    client.force_login(owner)
    with django_assert_max_num_queries(10):
        page = client.get("/programmes/claims-triage/notifications/?channel=email").content.decode()
    assert page.count("Monthly regression work") >= 30


def test_a_non_member_gets_404_on_the_notification_log_page(outsider, programme):
    client = Client()
    client.force_login(outsider)
    assert client.get("/programmes/claims-triage/notifications/").status_code == 404
