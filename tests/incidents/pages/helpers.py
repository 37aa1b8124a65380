"""What the incident page tests share."""

from django.test import Client

from tests.conftest import log_in
from tests.factories import PASSWORD


def signed_in(user) -> Client:
    client = Client()
    assert log_in(client, username=user.username, password=PASSWORD)
    return client
