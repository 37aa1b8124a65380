"""The demo portfolio and its users, as the issue's checks name them."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from programmes.models import Programme, Stage


@pytest.fixture
def demo(db: Any) -> list[Programme]:
    call_command("load_demo", verbosity=0)
    return list(Programme.objects.exclude(stage=Stage.RETIRED).order_by("name"))


def client_of(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client
