"""Runbooks and the response-time measures through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from incidents.models import Incident
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_runbooks_and_measures(owner, programme):
    client = api_client_for(owner)
    created = client.post(
        f"/api/v1/programmes/{programme.slug}/runbooks/",
        {"title": "Routing errors", "body": "1. Check the fallback queue."},
        format="json",
    )
    assert created.status_code == 201
    duplicate = client.post(
        f"/api/v1/programmes/{programme.slug}/runbooks/",
        {"title": "Routing errors", "body": "again"},
        format="json",
    )
    assert duplicate.status_code == 400
    opened = timezone.now() - dt.timedelta(days=2)
    for severity, ack, fix in (("sev1", 4, 120), ("sev1", 6, 60), ("sev3", 30, None)):
        Incident.objects.create(
            programme=programme,
            title=severity,
            severity=severity,
            opened_at=opened,
            acknowledged_at=opened + dt.timedelta(minutes=ack),
            resolved_at=opened + dt.timedelta(minutes=fix) if fix else None,
            status="resolved" if fix else "acknowledged",
            harm_category="outage",
        )
    measures = client.get(f"/api/v1/programmes/{programme.slug}/incident-measures/").json()
    rows = {row["severity"]: row for row in measures["by_severity"]}
    assert (rows["sev1"]["count"], rows["sev1"]["mtta_minutes"], rows["sev1"]["mttr_minutes"]) == (
        2,
        5.0,
        90.0,
    )
    assert (rows["sev3"]["mtta_minutes"], rows["sev3"]["mttr_minutes"]) == (30.0, None)
    assert rows["all"]["mtta_minutes"] == 13.3
    assert measures["by_harm"] == [["outage", 3]]
