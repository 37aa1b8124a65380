"""A database built by an earlier Keel, with the demo loaded, keeps every row of every table when
today's code migrates it.

The earlier Keel is commit ``BASELINE`` (main before the apps were layered and incidents moved
to their own app), taken from this repository with ``git archive`` and run with this virtualenv.
Its tables are counted, and their primary keys hashed, before and after ``migrate``; tables that
the migrations rename are compared under their new names.
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from tests.conftest import IN_CI

BASELINE = "b2b3d8e"
REPO = Path(__file__).resolve().parents[2]
GIT = shutil.which("git") or "git"
# Old table → the name today's migrations give it.
RENAMED_TABLES: dict[str, str] = {
    f"oncall_{model}": f"incidents_{model}"
    for model in ("incident", "timelineentry", "postmortem", "actionitem", "runbook")
}

# Apps installed since the baseline: their content types and permissions are new rows, not
# changed ones, so the counts of those two tables leave them out.
APPS_SINCE_BASELINE = ("governance",)
NEW_APPS = ", ".join(f"'{label}'" for label in APPS_SINCE_BASELINE)

COUNT_ROWS = (
    """
import hashlib, json, sys
from django.db import connection
tables = sorted(connection.introspection.table_names(include_views=False))
new_apps = "NEW_APPS"
only_old = {
    "django_content_type": f"WHERE app_label NOT IN ({new_apps})",
    "auth_permission": "WHERE content_type_id NOT IN (SELECT id FROM django_content_type "
    f"WHERE app_label IN ({new_apps}))",
}
result = {}
with connection.cursor() as cursor:
    for table in tables:
        name = connection.ops.quote_name(table)
        where = only_old.get(table, "")
        cursor.execute(f"SELECT count(*) FROM {name} {where}")
        count = cursor.fetchone()[0]
        keys = ""
        primary = connection.introspection.get_primary_key_column(cursor, table)
        if primary:
            column = connection.ops.quote_name(primary)
            cursor.execute(f"SELECT {column} FROM {name} {where} ORDER BY 1")
            keys = hashlib.md5(repr([row[0] for row in cursor.fetchall()]).encode()).hexdigest()
        result[table] = [count, keys]
print(json.dumps(result))
"""
).replace("NEW_APPS", NEW_APPS)

# Rows the demo alone does not write: a tick of the scheduled jobs (notifications, handoffs), a
# group granted incident permissions and an admin history entry about an incident.
OLD_ACTIVITY = """
import json
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from oncall.models import Incident
from programmes.reminders import run_due_reminders

run_due_reminders(timezone.now())
responders = Group.objects.create(name="Incident responders")
responders.permissions.set(
    Permission.objects.filter(codename__in=["add_incident", "change_runbook", "view_actionitem"])
)
incident = Incident.objects.order_by("pk").first()
LogEntry.objects.log_actions(
    user_id=get_user_model().objects.get(username="admin").pk,
    queryset=[incident],
    action_flag=CHANGE,
    change_message="Checked before the upgrade",
)
print(json.dumps({"incident_type": ContentType.objects.get_for_model(Incident).pk}))
"""


def _scratch_database(tmp_path: Path) -> str:
    """A database of its own for the upgrade, beside the test database."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    import psycopg
    from psycopg import sql

    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_upgrade"
    with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop_scratch_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(os.environ["DATABASE_URL"], dbname="postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _old_tree(tmp_path: Path) -> Path:
    """The baseline's files, or a clear failure (in CI) when this clone lacks the commit."""
    found = subprocess.run(  # noqa: S603 - git with our own arguments
        [GIT, "-C", str(REPO), "cat-file", "-e", f"{BASELINE}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if found.returncode != 0:
        message = (
            f"the upgrade test needs commit {BASELINE} (main before issue 11) in this clone: "
            "clone with full history (not --depth) or `git fetch --unshallow`"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    archive = subprocess.run(  # noqa: S603 - git with our own arguments
        [GIT, "-C", str(REPO), "archive", BASELINE], capture_output=True, check=True
    ).stdout
    old = tmp_path / "old"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(old, filter="data")
    return old


def _manage(tree: Path, database_url: str, var_dir: Path, *args: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "KEEL_", "CI"))
    }
    env.update(
        DATABASE_URL=database_url,
        KEEL_VAR_DIR=str(var_dir),
        CELERY_BROKER_URL="memory://",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} in {tree}:\n{done.stderr}"
    return done.stdout


def _answer(tree: Path, database_url: str, var_dir: Path, script: str) -> dict:
    """What ``script`` prints last (one JSON line), run by ``manage.py shell`` in ``tree``."""
    printed = _manage(tree, database_url, var_dir, "shell", "-v", "0", "-c", script)
    return json.loads(printed.strip().splitlines()[-1])


@pytest.fixture
def upgrade_database(tmp_path):
    url = _scratch_database(tmp_path)
    yield url
    _drop_scratch_database(url)


def test_every_row_of_every_table_survives_the_upgrade(tmp_path, upgrade_database):
    old = _old_tree(tmp_path)
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    _manage(old, upgrade_database, var_dir, "migrate", "--noinput", "-v", "0")
    _manage(old, upgrade_database, var_dir, "load_demo")
    activity = _answer(old, upgrade_database, var_dir, OLD_ACTIVITY)
    before = _answer(old, upgrade_database, var_dir, COUNT_ROWS)
    assert before["oncall_incident"][0] > 0, "the demo loaded no incidents to carry over"

    _manage(REPO, upgrade_database, var_dir, "migrate", "--noinput", "-v", "0")
    after = _answer(REPO, upgrade_database, var_dir, COUNT_ROWS)

    for table, (count, keys) in before.items():
        new_name = RENAMED_TABLES.get(table, table)
        assert new_name in after, f"table {table} is gone after the upgrade"
        if table == "django_migrations":
            assert after[new_name][0] >= count
        else:
            assert after[new_name] == [count, keys], f"rows of {table} changed in the upgrade"
    print(
        f"upgrade from {BASELINE}: {len(before)} tables, "
        f"{sum(count for count, _ in before.values())} rows, all kept; "
        f"{len(RENAMED_TABLES)} tables renamed"
    )
    carried_over = {RENAMED_TABLES.get(table, table) for table in before}
    for table in set(after) - carried_over:
        assert after[table][0] == 0, f"the upgrade wrote rows into the new table {table}"

    check = f"""
import json
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
incident_type = ContentType.objects.get(pk={activity["incident_type"]})
granted = Group.objects.get(name="Incident responders").permissions.select_related("content_type")
print(json.dumps({{
    "incident_type": [incident_type.app_label, incident_type.model],
    "model_class": incident_type.model_class().__module__,
    "granted": sorted(f"{{p.content_type.app_label}}.{{p.codename}}" for p in granted),
    "history": LogEntry.objects.filter(content_type=incident_type).count(),
}}))
"""
    upgraded = _answer(REPO, upgrade_database, var_dir, check)
    # The content type kept its id and moved app: permissions and admin history follow it.
    assert upgraded["incident_type"] == ["incidents", "incident"]
    assert upgraded["model_class"] == "incidents.models"
    assert upgraded["history"] == 1
    assert upgraded["granted"] == [
        "incidents.add_incident",
        "incidents.change_runbook",
        "incidents.view_actionitem",
    ]
    shutil.rmtree(old)
