"""On PostgreSQL, the audit table also refuses TRUNCATE, which row triggers do not see."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE_TRIGGER = """
CREATE TRIGGER programmes_auditevent_no_truncate
    BEFORE TRUNCATE ON programmes_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION keel_audit_events_are_append_only();
"""

DROP_TRIGGER = "DROP TRIGGER IF EXISTS programmes_auditevent_no_truncate ON programmes_auditevent;"


def create_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0007_delivery_failed_kind")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
