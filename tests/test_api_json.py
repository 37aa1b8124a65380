"""The API's JSON renderer (orjson) writes the same bytes as DRF's own."""

import datetime as dt
import uuid
import zoneinfo
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from programmes.api_renderers import JSONRenderer
from tests.conftest import api_client_for
from tests.factories import ProgrammeFactory, leadership_user

LONDON = zoneinfo.ZoneInfo("Europe/London")
SERIALIZER = serializers.Serializer[object]()

SAMPLES = [
    {"instant": dt.datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=dt.UTC)},
    {"winter": dt.datetime(2026, 1, 5, 9, tzinfo=LONDON), "summer": dt.datetime(2026, 7, 5, 9)},
    {"summer_london": dt.datetime(2026, 7, 5, 9, tzinfo=LONDON)},
    {"day": dt.date(2026, 2, 28), "at": dt.time(9, 30), "took": dt.timedelta(minutes=90)},
    {"cost": Decimal("1250000.50"), "share": Decimal("0.1"), "id": uuid.UUID(int=12345)},
    {"lazy": gettext_lazy("This field is required."), "detail": ErrorDetail("No.", code="x")},
    # What serializers return: dict and list subclasses.
    ReturnDict(
        {"results": ReturnList([{"name": "Triage – ünïcode ✓"}], serializer=SERIALIZER)},
        serializer=SERIALIZER,
    ),
    {3: {"value": ["A refused item is reported under its position."]}, "ok": True, "n": None},
    {"separators": "line\u2028paragraph\u2029end", "quote": '"\\/<script>'},
    {"big": 2**70, "float": 0.1, "whole": 3.0, "negative": -42},
    [],
    {},
]


@pytest.mark.parametrize("data", SAMPLES, ids=range(len(SAMPLES)))
def test_same_bytes_as_drf(data: object) -> None:
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_indented_answers_are_drf_s_own() -> None:
    data = {"a": [1, {"b": dt.date(2026, 1, 1)}]}
    media_type = "application/json; indent=4"
    assert JSONRenderer().render(data, media_type) == renderers.JSONRenderer().render(
        data, media_type
    )


def test_no_data_is_an_empty_body() -> None:
    assert JSONRenderer().render(None) == b""


@pytest.mark.django_db
def test_the_api_answers_with_it() -> None:
    ProgrammeFactory(name="Triage – ünïcode", cost_envelope=Decimal("1250000.50"))
    response = api_client_for(leadership_user()).get("/api/v1/programmes/")
    assert response.status_code == 200
    assert response.content == renderers.JSONRenderer().render(response.data)
    assert response.json()["results"][0]["created_at"].endswith("Z")
