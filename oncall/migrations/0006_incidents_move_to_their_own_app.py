"""Incidents, their timelines, postmortems, actions and runbooks move to the ``incidents`` app.
Only Django's record of the models moves: the tables and every row stay, and ``incidents``'
first migration takes the models over (its 0002 then renames the tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("oncall", "0005_handoff_on_behalf"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="incident",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="incident",
                    name="metric",
                ),
                migrations.RemoveField(
                    model_name="incident",
                    name="programme",
                ),
                migrations.RemoveField(
                    model_name="incident",
                    name="responder",
                ),
                migrations.RemoveField(
                    model_name="incident",
                    name="runbook",
                ),
                migrations.RemoveField(
                    model_name="timelineentry",
                    name="incident",
                ),
                migrations.RemoveField(
                    model_name="postmortem",
                    name="incident",
                ),
                migrations.RemoveField(
                    model_name="runbook",
                    name="programme",
                ),
                migrations.RemoveField(
                    model_name="timelineentry",
                    name="author",
                ),
                migrations.DeleteModel(
                    name="ActionItem",
                ),
                migrations.DeleteModel(
                    name="Incident",
                ),
                migrations.DeleteModel(
                    name="Postmortem",
                ),
                migrations.DeleteModel(
                    name="Runbook",
                ),
                migrations.DeleteModel(
                    name="TimelineEntry",
                ),
            ],
            database_operations=[],
        ),
    ]
