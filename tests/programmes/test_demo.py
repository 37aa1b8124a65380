import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from programmes.models import Programme, StageTransition
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
