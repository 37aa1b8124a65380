"""On PostgreSQL, the audit table refuses UPDATE and DELETE: audit events are append-only."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION keel_audit_events_are_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % is not allowed on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER programmes_auditevent_append_only
    BEFORE UPDATE OR DELETE ON programmes_auditevent
    FOR EACH ROW EXECUTE FUNCTION keel_audit_events_are_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS programmes_auditevent_append_only ON programmes_auditevent;
DROP FUNCTION IF EXISTS keel_audit_events_are_append_only();
"""


def create_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
