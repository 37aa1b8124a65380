"""The default criteria "A weekly review held in the last 8 days" and "At least one approved stop
condition with a rule" became checks Keel makes itself: existing programmes' criteria of those
titles name their check from now on, and a tick by hand no longer stands for the fact."""

from django.db import migrations

# The default title → the check it names (``governance.readiness_rules.DEFAULT_CRITERIA``).
CHECKED = {
    "A weekly review held in the last 8 days": "weekly_review",
    "At least one approved stop condition with a rule": "stop_condition",
}


def name_the_checks(apps, schema_editor):
    Criterion = apps.get_model("governance", "Criterion")
    for title, check in CHECKED.items():
        rows = Criterion.objects.filter(title=title, evidence_check="")
        rows.filter(status="met").update(status="in_progress")
        rows.update(evidence_check=check)


def ticked_by_people_again(apps, schema_editor):
    Criterion = apps.get_model("governance", "Criterion")
    for title, check in CHECKED.items():
        Criterion.objects.filter(title=title, evidence_check=check).update(evidence_check="")


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_readiness")]

    operations = [migrations.RunPython(name_the_checks, ticked_by_people_again)]
