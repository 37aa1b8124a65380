import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from incidents.models import Runbook
from oncall.models import Rotation
from programmes.models import Programme, StageTransition
from scorecards.models import Measurement, Metric
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_migrations_create_no_users():
    assert not get_user_model().objects.exists()


def test_the_demo_portfolio_loads_once_and_reloads_without_change():
    call_command("load_demo", verbosity=0)
    programmes = Programme.objects.count()
    transitions = StageTransition.objects.count()
    call_command("load_demo", verbosity=0)

    assert programmes >= 5
    assert Programme.objects.count() == programmes
    assert StageTransition.objects.count() == transitions
    assert Programme.objects.values("stage").distinct().count() >= 5


def test_demo_users_log_in_with_demo_and_see_what_their_role_allows():
    call_command("load_demo", verbosity=0)
    for username in ["leader", "owner", "oncall", "viewer"]:
        response = APIClient().post(
            "/api/v1/auth/token/", {"username": username, "password": "demo"}, format="json"
        )
        assert response.status_code == 200, username

    user_model = get_user_model()
    leader_sees = api_client_for(user_model.objects.get(username="leader")).get(
        "/api/v1/programmes/"
    )
    viewer_sees = api_client_for(user_model.objects.get(username="viewer")).get(
        "/api/v1/programmes/"
    )
    assert leader_sees.json()["count"] == Programme.objects.count()
    assert 0 < viewer_sees.json()["count"] < Programme.objects.count()


def test_a_generated_portfolio_gives_every_programme_its_rows_once():
    call_command("load_demo", programmes=30, verbosity=0)
    generated = Programme.objects.filter(slug__startswith="gen-")
    counts = (
        generated.count(),
        Metric.objects.filter(programme__in=generated, is_headline=True).count(),
        Rotation.objects.filter(programme__in=generated).count(),
        Runbook.objects.filter(programme__in=generated).count(),
    )
    measurements = Measurement.objects.count()
    call_command("load_demo", programmes=30, verbosity=0)
    assert counts == (30, 30, 30, 30)
    assert Measurement.objects.count() == measurements > 30
    assert generated.exclude(programme_owner=None).count() > 20

    call_command("load_demo", programmes=40, verbosity=0)
    assert Rotation.objects.filter(programme__in=generated).count() == 40


def test_a_generated_portfolio_of_an_impossible_size_is_refused():
    with pytest.raises(CommandError, match="from 0 to"):
        call_command("load_demo", programmes=-1, verbosity=0)
