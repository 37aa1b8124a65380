"""A signed-in session's user is read once per request with their time zone and groups."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from programmes.selectors import LEADERSHIP_GROUP
from tests.conftest import api_client_for, log_in
from tests.factories import PASSWORD, PersonFactory, ProgrammeFactory, leadership_user

pytestmark = pytest.mark.django_db


def session_client(user: Any) -> APIClient:
    client = APIClient()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client


@time_machine.travel(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_session_request_reads_its_user_in_one_query_and_answers_in_their_zone() -> None:
    user = leadership_user(username="lena")
    PersonFactory(user=user, timezone="Europe/London")
    ProgrammeFactory(name="Triage")
    client = session_client(user)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/programmes/")

    assert response.status_code == 200
    # Leadership sees every programme; times are London's summer time.
    assert [row["name"] for row in response.json()["results"]] == ["Triage"]
    assert response.json()["results"][0]["created_at"] == "2026-07-01T13:00:00+01:00"
    sql = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "auth_user"' in text for text in sql) == 1
    assert not any(text.lstrip().startswith('SELECT 1 AS "a" FROM "auth_group"') for text in sql)
    assert not any('FROM "programmes_person" WHERE "programmes_person"."user_id"' in s for s in sql)


def test_leaving_leadership_counts_from_the_next_request() -> None:
    user = leadership_user(username="lena")
    ProgrammeFactory(name="Triage")
    client = session_client(user)
    assert client.get("/api/v1/programmes/").json()["count"] == 1

    user.groups.remove(Group.objects.get(name=LEADERSHIP_GROUP))

    assert client.get("/api/v1/programmes/").json()["count"] == 0


def test_a_deactivated_user_s_session_no_longer_signs_them_in() -> None:
    user = leadership_user(username="lena")
    client = session_client(user)
    assert client.get("/api/v1/programmes/").status_code == 200

    user.is_active = False
    user.save()

    assert client.get("/api/v1/programmes/").status_code == 401


def test_a_personal_token_reads_its_user_s_leadership_with_the_token() -> None:
    user = leadership_user(username="lena")
    ProgrammeFactory(name="Triage")
    client = api_client_for(user)

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/programmes/").json()["count"] == 1
    sql = [query["sql"] for query in captured.captured_queries]
    assert not any(text.lstrip().startswith('SELECT 1 AS "a" FROM "auth_group"') for text in sql)

    user.groups.remove(Group.objects.get(name=LEADERSHIP_GROUP))
    assert client.get("/api/v1/programmes/").json()["count"] == 0


def test_a_session_signed_in_before_the_backend_changed_still_works() -> None:
    user = leadership_user(username="lena")
    client = APIClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/api/v1/programmes/").status_code == 200


def test_a_wrong_password_is_checked_once_and_counted() -> None:
    user = leadership_user(username="lena")
    checks = []
    user_model = type(user)
    original = user_model.check_password

    def counted(self: Any, raw: str) -> bool:
        checks.append(raw)
        return original(self, raw)

    user_model.check_password = counted
    try:
        assert not log_in(APIClient(), username="lena", password="wrong")
    finally:
        user_model.check_password = original

    assert checks == ["wrong"]
    assert AccessAttempt.objects.get(username="lena").failures_since_start == 1


def test_a_user_without_a_directory_entry_answers_in_utc_without_looking_for_one() -> None:
    user = leadership_user(username="lena")
    ProgrammeFactory(name="Triage")
    client = session_client(user)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/programmes/")

    assert response.json()["results"][0]["created_at"].endswith("Z")
    sql = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "auth_user"' in text for text in sql) == 1
    assert not any('FROM "programmes_person" WHERE' in text for text in sql)


def test_a_user_who_no_longer_exists_is_signed_out() -> None:
    user = leadership_user(username="lena")
    client = session_client(user)
    user.delete()

    assert client.get("/api/v1/programmes/").status_code == 401


def test_a_password_change_elsewhere_ends_the_session() -> None:
    user = leadership_user(username="lena")
    client = session_client(user)
    user.set_password("a different one")
    user.save()

    assert client.get("/api/v1/programmes/").status_code == 401


def test_an_expired_session_signs_nobody_in() -> None:
    user = leadership_user(username="lena")
    client = session_client(user)
    assert client.get("/api/v1/programmes/").status_code == 200

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    assert client.get("/api/v1/programmes/").status_code == 401


def test_a_signed_out_session_signs_nobody_in() -> None:
    user = leadership_user(username="lena")
    client = session_client(user)
    cookie = client.cookies["sessionid"].value
    client.post("/logout/")

    stale = APIClient()
    stale.cookies["sessionid"] = cookie
    assert client.get("/api/v1/programmes/").status_code == 401
    assert stale.get("/api/v1/programmes/").status_code == 401


def test_a_session_is_read_with_one_statement_on_its_key_and_expiry() -> None:
    user = leadership_user(username="lena")
    client = session_client(user)
    key = client.session.session_key

    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/programmes/")

    reads = [q["sql"] for q in captured.captured_queries if '"django_session"' in q["sql"]]
    assert len(reads) == 1
    assert reads[0].startswith('SELECT "session_data" FROM "django_session"')
    assert str(key) in reads[0]
    assert '"expire_date" >' in reads[0]
