"""Suite-wide fixtures, and the checks that make CI fail, not skip, when a service is missing."""

import os
import shutil
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from rest_framework.test import APIClient

from programmes.models import ApiToken, Programme, Role

from .factories import ProgrammeFactory, UserFactory, leadership_user, member

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("KEEL_CHROMIUM", "/usr/bin/chromium")


def pytest_sessionstart(session: pytest.Session) -> None:
    if IN_CI and connection.vendor != "postgresql":
        pytest.exit(
            f"CI=true but the database is {connection.vendor}: CI must run on PostgreSQL "
            "(set DATABASE_URL=postgres://…).",
            returncode=1,
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(
            reason="needs PostgreSQL (database triggers and row locks); set DATABASE_URL to run it"
        )
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)


AUDIT_TABLE = "programmes_auditevent"
AUDIT_TRUNCATE_TRIGGER = "programmes_auditevent_no_truncate"


def _let_django_empty_the_audit_table_between_tests(
    execute: Any, sql: str, params: Any, many: bool, context: Any
) -> Any:
    """Between transactional tests Django empties every table with one ``TRUNCATE "a", "b", …``,
    which the audit table refuses. The suite owns its test database, so for that one statement
    it lifts the refusal; any other TRUNCATE of the table still meets the trigger."""
    if not (sql.startswith("TRUNCATE ") and f'"{AUDIT_TABLE}"' in sql and '", "' in sql):
        return execute(sql, params, many, context)
    execute(
        f'ALTER TABLE "{AUDIT_TABLE}" DISABLE TRIGGER {AUDIT_TRUNCATE_TRIGGER}',
        None,
        False,
        context,
    )
    try:
        return execute(sql, params, many, context)
    finally:
        execute(
            f'ALTER TABLE "{AUDIT_TABLE}" ENABLE TRIGGER {AUDIT_TRUNCATE_TRIGGER}',
            None,
            False,
            context,
        )


@pytest.fixture(autouse=True, scope="session")
def _audit_table_emptied_between_transactional_tests() -> Any:
    if connection.vendor != "postgresql":
        yield
        return
    connection.execute_wrappers.append(_let_django_empty_the_audit_table_between_tests)
    yield
    connection.execute_wrappers.remove(_let_django_empty_the_audit_table_between_tests)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()


@pytest.fixture
def chromium_path() -> str:
    if shutil.which(CHROMIUM) is None:
        if IN_CI:
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}; .ci/run installs it.")
        pytest.skip(f"browser test: Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def programme(db: Any) -> Programme:
    return ProgrammeFactory(name="Claims triage", slug="claims-triage")


@pytest.fixture
def other_programme(db: Any) -> Programme:
    return ProgrammeFactory(name="Fraud summaries", slug="fraud-summaries")


@pytest.fixture
def owner(programme: Programme) -> Any:
    return member(programme, Role.OWNER, username="olivia")


@pytest.fixture
def editor(programme: Programme) -> Any:
    return member(programme, Role.EDITOR, username="eddie")


@pytest.fixture
def viewer(programme: Programme) -> Any:
    return member(programme, Role.VIEWER, username="vera")


@pytest.fixture
def leader(db: Any) -> Any:
    return leadership_user(username="lena")


@pytest.fixture
def outsider(other_programme: Programme) -> Any:
    """Someone who belongs to another programme only."""
    return member(other_programme, Role.OWNER, username="otto")


@pytest.fixture
def staff(db: Any) -> Any:
    return UserFactory(username="stella", is_staff=True)


def api_client_for(user: Any) -> APIClient:
    """An API client that authenticates the way machines do: with a personal token."""
    _, key = ApiToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def log_in(client: Client, *, username: str, password: str) -> bool:
    """``client.login`` through the authentication backends; django-axes needs a request."""
    return client.login(request=HttpRequest(), username=username, password=password)
