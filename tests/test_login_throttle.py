"""Password guessing is throttled: per account and per address, on the login page, the admin's
login and the API token endpoint, counted once for every process."""

import logging
import os
import subprocess
import sys

import httpx
import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.conftest import IN_CI
from tests.factories import PASSWORD, UserFactory
from tests.servers import running_web_server

pytestmark = pytest.mark.django_db
WRONG = "not the password"
LIMIT = 10


def log_in_page(path: str, username: str, password: str, address: str = "10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path, {"username": username, "password": password})
    return response, client


def ask_for_token(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_the_eleventh_try_on_the_login_page_is_refused_even_with_the_right_password():
    UserFactory(username="olivia")
    answers = []
    for attempt in range(LIMIT):
        # From a new address each time: the account itself is what gets locked.
        response, _ = log_in_page("/login/", "olivia", WRONG, address=f"10.0.1.{attempt}")
        answers.append(response.status_code)
    # The tenth failure is told the account is now locked.
    assert answers == [200] * (LIMIT - 1) + [429]

    response, client = log_in_page("/login/", "olivia", PASSWORD, address="10.0.2.1")

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/programmes/").status_code == 302  # still sent to the login page


def test_the_admin_login_is_throttled_the_same_way():
    UserFactory(username="stella", is_staff=True)
    answers = [log_in_page("/admin/login/", "stella", WRONG)[0].status_code for _ in range(LIMIT)]
    assert answers == [200] * (LIMIT - 1) + [429]

    response, client = log_in_page("/admin/login/", "stella", PASSWORD)

    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_the_token_endpoint_refuses_the_eleventh_try_with_json():
    UserFactory(username="harness")
    answers = [ask_for_token("harness", WRONG).status_code for _ in range(LIMIT)]
    assert answers == [400] * (LIMIT - 1) + [429]

    response = ask_for_token("harness", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed logins" in response.json()["detail"]
    assert int(response["Retry-After"]) == settings.KEEL_LOGIN_LOCKOUT_MINUTES * 60
    assert "token" not in response.json()


def test_one_address_guessing_many_accounts_is_locked_out_but_others_are_not():
    UserFactory(username="victim")
    for number in range(LIMIT):
        log_in_page("/login/", f"guess{number}", WRONG, address="203.0.113.9")

    from_the_guesser, _ = log_in_page("/login/", "victim", PASSWORD, address="203.0.113.9")
    from_elsewhere, _ = log_in_page("/login/", "victim", PASSWORD, address="198.51.100.7")

    assert from_the_guesser.status_code == 429
    assert from_elsewhere.status_code == 302  # logged in


def test_fewer_failures_than_the_limit_still_let_the_right_password_in():
    UserFactory(username="typo")
    for _ in range(LIMIT - 1):
        log_in_page("/login/", "typo", WRONG)
    assert log_in_page("/login/", "typo", PASSWORD)[0].status_code == 302


def test_a_failure_is_logged_with_the_username_and_never_the_password(caplog):
    UserFactory(username="olivia")
    secret_guess = "hunter2-guess-Zq9"
    with caplog.at_level(logging.DEBUG):
        log_in_page("/login/", "olivia", secret_guess)
        ask_for_token("olivia", secret_guess)
    assert any("login failure" in record.getMessage().lower() for record in caplog.records)
    assert any("olivia" in record.getMessage() for record in caplog.records)
    assert secret_guess not in caplog.text
    assert all(secret_guess not in str(record.__dict__) for record in caplog.records)
    from axes.models import AccessAttempt  # the database handler's record of each failure

    kept = list(AccessAttempt.objects.values_list("username", "post_data"))
    assert kept
    assert all(secret_guess not in post_data for _, post_data in kept)


def test_an_administrator_unlocks_an_account_with_a_management_command():
    UserFactory(username="olivia")
    for _ in range(LIMIT):
        log_in_page("/login/", "olivia", WRONG)
    assert log_in_page("/login/", "olivia", PASSWORD)[0].status_code == 429

    call_command("axes_reset_username", "olivia")

    assert log_in_page("/login/", "olivia", PASSWORD)[0].status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_gunicorn_workers_share_one_count_in_the_shared_cache(tmp_path):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        reason = "needs Redis for the shared cache (set CELERY_BROKER_URL=redis://…)"
        if IN_CI:
            pytest.fail(f"CI=true but this test {reason}")
        pytest.skip(reason)
    UserFactory(username="harness")
    shared_cache = {"KEEL_CACHE_URL": settings.CELERY_BROKER_URL}  # the tests' own Redis db
    # Counts left in Redis by an earlier run are cleared the way the runbook says.
    unlock = [sys.executable, "manage.py", "axes_reset_ip_username", "127.0.0.1", "harness"]
    subprocess.run(unlock, env={**os.environ, **shared_cache}, check=True, capture_output=True)  # noqa: S603
    with running_web_server(tmp_path, env=shared_cache, workers=2) as web:
        with httpx.Client(base_url=web.url, timeout=10) as http:
            answers = [
                # A new connection each time, so both workers take their share.
                httpx.post(
                    f"{web.url}/api/v1/auth/token/",
                    json={"username": "harness", "password": WRONG},
                    headers={"Connection": "close"},
                    timeout=10,
                ).status_code
                for _ in range(LIMIT)
            ]
            right = http.post(
                "/api/v1/auth/token/",
                json={"username": "harness", "password": PASSWORD},
                headers={"Connection": "close"},
            )
        pids = {
            line.split("pid: ")[1].split()[0]
            for line in web.log().splitlines()
            if "Booting worker" in line
        }
    assert len(pids) == 2
    assert answers == [400] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    # The count lives in the shared cache, not in either worker.
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).keys("*axes*")
