"""What the incident tests share: an Alertmanager notification, the programme's webhook URL,
opening a SEV1 through the API."""

import copy
import datetime as dt
from typing import Any

from incidents.notification_kinds import INCIDENT_ESCALATED
from programmes.models import (
    Channel,
    Notification,
    Role,
)
from programmes.rules import access_for
from tests.conftest import api_client_for

UTC = dt.UTC


OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)


# A notification as Alertmanager 0.27 sends it to a webhook receiver.
FIRING: dict[str, Any] = {
    "receiver": "keel",
    "status": "firing",
    "alerts": [
        {
            "status": "firing",
            "labels": {
                "alertname": "ClaimsRoutingErrorRate",
                "instance": "claims-api-1:9100",
                "job": "claims-api",
                "severity": "critical",
            },
            "annotations": {
                "summary": "Claims routing error rate above 5%",
                "description": "7.2% of claims routed to the fallback queue in 10 minutes.",
            },
            "startsAt": "2026-11-25T02:58:30.123Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph?g0.expr=claims_routing_errors",
            "fingerprint": "c1f4e2a9b0d7e613",
        }
    ],
    "groupLabels": {"alertname": "ClaimsRoutingErrorRate"},
    "commonLabels": {
        "alertname": "ClaimsRoutingErrorRate",
        "job": "claims-api",
        "severity": "critical",
    },
    "commonAnnotations": {
        "summary": "Claims routing error rate above 5%",
        "description": "7.2% of claims routed to the fallback queue in 10 minutes.",
    },
    "externalURL": "http://alertmanager:9093",
    "version": "4",
    "groupKey": '{}:{alertname="ClaimsRoutingErrorRate"}',
    "truncatedAlerts": 0,
}


def resolved_version(payload):
    resolved = copy.deepcopy(payload)
    resolved["status"] = "resolved"
    for alert in resolved["alerts"]:
        alert["status"] = "resolved"
        alert["endsAt"] = "2026-11-25T03:20:00Z"
    return resolved


def alertmanager_url(programme, owner) -> str:
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/tokens/",
        {"name": "alertmanager", "scope": "alertmanager"},
        format="json",
    )
    assert response.status_code == 201, response.content
    return f"/api/v1/integrations/alertmanager/{response.json()['token']}/"


def open_sev1(client, programme, severity="sev1"):
    response = client.post(
        f"/api/v1/programmes/{programme.slug}/incidents/",
        {"title": "Routing sends claims to the wrong queue", "severity": severity},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def escalations():
    return Notification.objects.filter(kind=INCIDENT_ESCALATED, channel=Channel.IN_APP)
