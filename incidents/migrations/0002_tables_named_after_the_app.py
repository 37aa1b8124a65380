"""The incident tables take the app's name (oncall_incident → incidents_incident, …). A rename
keeps every row, index, constraint and foreign key."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(
            name="actionitem",
            table=None,
        ),
        migrations.AlterModelTable(
            name="incident",
            table=None,
        ),
        migrations.AlterModelTable(
            name="postmortem",
            table=None,
        ),
        migrations.AlterModelTable(
            name="runbook",
            table=None,
        ),
        migrations.AlterModelTable(
            name="timelineentry",
            table=None,
        ),
    ]
