"""Two live programmes never share a name, whatever the case: pages and API refuse it with a
message, and the database guarantees it."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from programmes.models import Programme, Stage
from tests.conftest import api_client_for
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db
MESSAGE = "Another programme is already called “{}”: choose a name that tells them apart."


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new_programme(name: str) -> dict[str, str]:
    return {
        "name": name,
        "stage": "pilot",
        "review_weekday": "1",
        "review_time": "10:00",
        "review_timezone": "UTC",
        "regression_day": "1",
        "cost_currency": "EUR",
    }


def test_a_second_programme_with_a_live_programmes_name_is_refused_on_the_page(owner, programme):
    client = _signed_in(owner)
    first = client.post("/programmes/new/", _new_programme("Customer support copilot"))
    assert first.status_code == 302
    again = client.post("/programmes/new/", _new_programme("customer SUPPORT copilot"))
    assert again.status_code == 400
    html = again.content.decode()
    assert MESSAGE.format("customer SUPPORT copilot") in html
    assert 'value="customer SUPPORT copilot"' in html
    assert Programme.objects.filter(name__iexact="customer support copilot").count() == 1


def test_renaming_to_a_live_programmes_name_is_refused(owner, programme, other_programme):
    response = _signed_in(owner).post(
        f"/programmes/{programme.slug}/edit/",
        {**_new_programme("FRAUD summaries"), "regression_day": "3"},
    )
    assert response.status_code == 400
    assert MESSAGE.format("FRAUD summaries") in response.content.decode()
    programme.refresh_from_db()
    assert programme.name == "Claims triage"


def test_the_api_refuses_a_taken_name_with_a_field_error(owner, programme):
    response = api_client_for(owner).post(
        "/api/v1/programmes/", {"name": "CLAIMS TRIAGE"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"name": [MESSAGE.format("CLAIMS TRIAGE")]}
    assert Programme.objects.count() == 1


def test_a_retired_programmes_name_is_free_again(owner, programme):
    Programme.objects.filter(pk=programme.pk).update(stage=Stage.RETIRED)
    response = _signed_in(owner).post("/programmes/new/", _new_programme("Claims triage"))
    assert response.status_code == 302
    assert Programme.objects.filter(name="Claims triage").count() == 2


def test_the_database_refuses_a_second_live_programme_with_the_name(programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeFactory(name="claims TRIAGE")


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_live_duplicates_before_it_forbids_them():
    before = [("programmes", "0009_job_runs")]
    after = [("programmes", "0010_programme_names_unique_while_live")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("programmes", "Programme")
    for slug, name, stage in [
        ("copilot", "Copilot", "pilot"),
        ("copilot-2", "COPILOT", "pilot"),
        ("copilot-3", "Copilot", "retired"),
    ]:
        old.objects.create(slug=slug, name=name, stage=stage)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    names = dict(Programme.objects.values_list("slug", "name"))
    # Back to the latest state: the migrations of other apps that came after were undone too.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert names == {
        "copilot": "Copilot",
        "copilot-2": "COPILOT (copilot-2)",
        "copilot-3": "Copilot",
    }
