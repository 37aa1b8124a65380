"""The incident models, taken over from ``oncall`` (its 0006) with their tables as they are: this
migration changes Django's record of the models and moves their content types (so permissions,
group grants and admin history follow), never a table or a row. On a new database oncall's
migrations have created the tables already."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ["incident", "timelineentry", "postmortem", "actionitem", "runbook"]


def _relabel(apps, *, old_label, new_label):
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(
        content_type.objects.filter(app_label=new_label, model__in=MOVED_MODELS).values_list(
            "model", flat=True
        )
    )
    content_type.objects.filter(app_label=old_label, model__in=MOVED_MODELS).exclude(
        model__in=taken
    ).update(app_label=new_label)


def move_content_types(apps, schema_editor):
    _relabel(apps, old_label="oncall", new_label="incidents")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, old_label="incidents", new_label="oncall")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("programmes", "0011_notification_kind_without_choices"),
        ("scorecards", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("oncall", "0006_incidents_move_to_their_own_app"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Incident",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=200)),
                        (
                            "severity",
                            models.CharField(
                                choices=[
                                    ("sev1", "SEV1 (critical)"),
                                    ("sev2", "SEV2 (major)"),
                                    ("sev3", "SEV3 (minor)"),
                                    ("sev4", "SEV4 (low)"),
                                ],
                                max_length=4,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("triggered", "Triggered"),
                                    ("acknowledged", "Acknowledged"),
                                    ("mitigated", "Mitigated"),
                                    ("resolved", "Resolved"),
                                ],
                                default="triggered",
                                max_length=12,
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("manual", "Opened by hand"),
                                    ("api", "API"),
                                    ("alertmanager", "Alertmanager"),
                                ],
                                default="manual",
                                max_length=12,
                            ),
                        ),
                        (
                            "fingerprint",
                            models.CharField(
                                blank=True,
                                help_text="Alertmanager's groupKey: repeats join this one.",
                                max_length=300,
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                        ("impact", models.TextField(blank=True)),
                        (
                            "model_version",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="Model / prompt version"
                            ),
                        ),
                        ("evaluation_run", models.CharField(blank=True, max_length=200)),
                        (
                            "harm_category",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("wrong_output", "Wrong or harmful output"),
                                    ("prompt_injection", "Prompt injection"),
                                    ("data_exposure", "Data / PII exposure"),
                                    ("jailbreak", "Jailbreak"),
                                    ("cost_spike", "Cost spike"),
                                    ("outage", "Outage"),
                                    ("drift", "Drift"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("opened_at", models.DateTimeField()),
                        ("acknowledged_at", models.DateTimeField(blank=True, null=True)),
                        ("mitigated_at", models.DateTimeField(blank=True, null=True)),
                        ("resolved_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "serious_kind",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("standard", "Serious incident (15 days)"),
                                    ("death", "Death of a person (10 days)"),
                                    (
                                        "widespread",
                                        "Widespread or critical-infrastructure harm (2 days)",
                                    ),
                                ],
                                max_length=12,
                            ),
                        ),
                        ("serious_since", models.DateTimeField(blank=True, null=True)),
                        ("report_due_at", models.DateTimeField(blank=True, null=True)),
                        ("reported_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "metric",
                            models.ForeignKey(
                                blank=True,
                                help_text="The scorecard metric it hurt, if any.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="scorecards.metric",
                            ),
                        ),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="incidents",
                                to="programmes.programme",
                            ),
                        ),
                        (
                            "responder",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="programmes.person",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "oncall_incident",
                        "ordering": ["-opened_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Postmortem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("summary", models.TextField(blank=True)),
                        ("contributing_factors", models.TextField(blank=True)),
                        ("went_well", models.TextField(blank=True, verbose_name="What went well")),
                        ("due_on", models.DateField()),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "incident",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="postmortem",
                                to="incidents.incident",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "oncall_postmortem",
                    },
                ),
                migrations.CreateModel(
                    name="ActionItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=300)),
                        ("due_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Open"), ("done", "Done")],
                                default="open",
                                max_length=6,
                            ),
                        ),
                        ("done_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="incident_actions",
                                to="programmes.person",
                            ),
                        ),
                        (
                            "postmortem",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="actions",
                                to="incidents.postmortem",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "oncall_actionitem",
                        "ordering": ["postmortem", "due_on", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Runbook",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=200)),
                        ("body", models.TextField(help_text="Markdown.")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "programme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="runbooks",
                                to="programmes.programme",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "oncall_runbook",
                        "ordering": ["programme", "title"],
                    },
                ),
                migrations.AddField(
                    model_name="incident",
                    name="runbook",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="incidents",
                        to="incidents.runbook",
                    ),
                ),
                migrations.CreateModel(
                    name="TimelineEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("at", models.DateTimeField()),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("opened", "Opened"),
                                    ("status", "Status change"),
                                    ("note", "Note"),
                                    ("alert", "Alert received"),
                                    ("severity", "Severity change"),
                                    ("serious", "Marked serious"),
                                    ("reported", "Reported to the authority"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("author_label", models.CharField(blank=True, max_length=150)),
                        ("text", models.TextField(blank=True, help_text="Markdown.")),
                        ("payload", models.JSONField(blank=True, null=True)),
                        ("dedupe_key", models.CharField(blank=True, max_length=64)),
                        (
                            "author",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "incident",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="timeline",
                                to="incidents.incident",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "timeline entries",
                        "db_table": "oncall_timelineentry",
                        "ordering": ["incident", "at", "id"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="runbook",
                    constraint=models.UniqueConstraint(
                        fields=("programme", "title"), name="runbook_titles_unique"
                    ),
                ),
                migrations.AddIndex(
                    model_name="incident",
                    index=models.Index(
                        fields=["programme", "-opened_at"], name="incident_programme"
                    ),
                ),
                migrations.AddIndex(
                    model_name="incident",
                    index=models.Index(
                        fields=["programme", "fingerprint", "status"], name="incident_group"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="timelineentry",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("dedupe_key", ""), _negated=True),
                        fields=("incident", "dedupe_key"),
                        name="one_timeline_entry_per_alert_notification",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
