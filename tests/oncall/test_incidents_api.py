import copy
import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.jobs import escalate_unacknowledged_incidents, remind_report_deadlines
from incidents.models import Incident, Postmortem, TimelineEntry
from incidents.notification_kinds import INCIDENT_ESCALATED, INCIDENT_OPENED
from oncall import services
from programmes.models import (
    AuditEvent,
    Channel,
    Notification,
    ProgrammeToken,
    Role,
)
from programmes.rules import access_for
from tests.conftest import api_client_for
from tests.factories import PersonFactory, member

pytestmark = pytest.mark.django_db
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


def test_alertmanager_firing_twice_then_resolved(owner, programme):
    url = alertmanager_url(programme, owner)
    client = APIClient()
    first = client.post(url, FIRING, format="json")
    again = client.post(url, FIRING, format="json")
    assert first.status_code == 200
    assert first.json()["created"] is True
    assert again.json() == {
        "incident": first.json()["incident"],
        "created": False,
        "recorded": False,
    }
    incident = Incident.objects.get()
    assert (incident.severity, incident.status, incident.source) == (
        "sev1",
        "triggered",
        "alertmanager",
    )
    assert incident.title == "Claims routing error rate above 5%"

    # A new alert joins the group: a new notification, the same incident.
    grown = copy.deepcopy(FIRING)
    second_alert = copy.deepcopy(FIRING["alerts"][0])
    second_alert["labels"]["instance"] = "claims-api-2:9100"
    second_alert["fingerprint"] = "77aa01bc33de9f10"
    grown["alerts"].append(second_alert)
    assert client.post(url, grown, format="json").json()["recorded"] is True

    resolved = client.post(url, resolved_version(grown), format="json")
    assert resolved.status_code == 200
    assert Incident.objects.count() == 1
    incident.refresh_from_db()
    assert incident.status == "mitigated"
    alerts = TimelineEntry.objects.filter(incident=incident, kind="alert")
    assert alerts.count() == 3
    assert alerts.first().payload == FIRING  # the raw payload is kept
    assert client.post(url, resolved_version(grown), format="json").json()["recorded"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"hello": "world"}, '`version` must be "4"'),
        ({**FIRING, "groupKey": ""}, "`groupKey` is missing"),
        ({**FIRING, "alerts": []}, "`alerts` must be a non-empty list"),
        ({**FIRING, "status": "burning"}, "`status` must be firing or resolved"),
        ([1, 2, 3], "must be a JSON object"),
    ],
)
def test_not_an_alertmanager_payload_is_400(owner, programme, body, message):
    response = APIClient().post(alertmanager_url(programme, owner), body, format="json")
    assert response.status_code == 400
    assert message in response.json()["non_field_errors"][0]
    assert not Incident.objects.exists()


def test_alertmanager_token_of_another_programme_or_scope_is_404(
    owner, programme, outsider, other_programme
):
    assert (
        APIClient()
        .post("/api/v1/integrations/alertmanager/not-a-token/", FIRING, format="json")
        .status_code
        == 404
    )
    # An ingest token is not a webhook token.
    ingest = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/tokens/", {"name": "harness"}, format="json"
    )
    key = ingest.json()["token"]
    assert (
        APIClient()
        .post(f"/api/v1/integrations/alertmanager/{key}/", FIRING, format="json")
        .status_code
        == 404
    )
    # A revoked webhook token stops working.
    url = alertmanager_url(programme, owner)
    token = ProgrammeToken.objects.get(scope="alertmanager")
    api_client_for(owner).delete(f"/api/v1/programmes/{programme.slug}/tokens/{token.pk}/")
    assert APIClient().post(url, FIRING, format="json").status_code == 404
    # Another programme's webhook opens the incident there, never here.
    theirs = alertmanager_url(other_programme, outsider)
    APIClient().post(theirs, FIRING, format="json")
    assert not Incident.objects.filter(programme=programme).exists()
    incident = Incident.objects.get(programme=other_programme)
    assert api_client_for(owner).get(f"/api/v1/incidents/{incident.pk}/").status_code == 404


@pytest.fixture
def oncall_programme(programme):
    """A programme with a primary and a secondary rotation and an on-call lead."""
    primary = [PersonFactory(name=n) for n in ("Pat Primary", "Paul Primary")]
    secondary = [PersonFactory(name="Sam Secondary")]
    programme.oncall_lead = PersonFactory(name="Lee Lead")
    programme.save()
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=UTC), tick=False):
        for name, level, people in (
            ("Primary", "primary", primary),
            ("Secondary", "secondary", secondary),
        ):
            services.create_rotation(
                actor=None,
                programme=programme,
                access=OWNER,
                name=name,
                level=level,
                start=dt.date(2026, 11, 2),
                member_ids=[p.pk for p in people],
                timezone_name="Europe/London",
                shift_kind="weekly",
            )
    return programme


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


def test_unacknowledged_sev1_escalates_once_after_15_minutes(owner, oncall_programme):
    opened = dt.datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    with time_machine.travel(opened, tick=False):
        incident = open_sev1(api_client_for(owner), oncall_programme)
    assert incident["responder"]["name"] in {"Pat Primary", "Paul Primary"}
    paged = Notification.objects.filter(kind=INCIDENT_OPENED, channel=Channel.IN_APP)
    assert [n.recipient.name for n in paged] == [incident["responder"]["name"]]
    with time_machine.travel(opened + dt.timedelta(minutes=14, seconds=59), tick=False):
        assert escalate_unacknowledged_incidents(timezone.now()) == 0
    with time_machine.travel(opened + dt.timedelta(minutes=15), tick=False):
        escalate_unacknowledged_incidents(timezone.now())
        escalate_unacknowledged_incidents(timezone.now())
    with time_machine.travel(opened + dt.timedelta(minutes=40), tick=False):
        escalate_unacknowledged_incidents(timezone.now())
    assert sorted(n.recipient.name for n in escalations()) == ["Lee Lead", "Sam Secondary"]


def test_acknowledged_in_time_escalates_to_nobody(owner, oncall_programme):
    opened = dt.datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    client = api_client_for(owner)
    with time_machine.travel(opened, tick=False):
        incident = open_sev1(client, oncall_programme)
    with time_machine.travel(opened + dt.timedelta(minutes=9), tick=False):
        acked = client.post(
            f"/api/v1/incidents/{incident['id']}/status/", {"status": "acknowledged"}, format="json"
        )
        assert acked.status_code == 200
    with time_machine.travel(opened + dt.timedelta(minutes=20), tick=False):
        escalate_unacknowledged_incidents(timezone.now())
    assert not escalations().exists()


def test_status_lifecycle_and_postmortem(owner, oncall_programme):
    client = api_client_for(owner)
    incident = open_sev1(client, oncall_programme, severity="sev2")
    url = f"/api/v1/incidents/{incident['id']}/status/"
    resolved = client.post(url, {"status": "resolved"}, format="json")
    assert resolved.status_code == 200
    body = resolved.json()
    assert body["acknowledged_at"]
    assert body["mitigated_at"]
    assert body["resolved_at"]
    again = client.post(url, {"status": "resolved"}, format="json")
    assert again.status_code == 400
    assert "already resolved" in again.json()["status"][0]
    back = client.post(url, {"status": "acknowledged"}, format="json")
    assert back.status_code == 400
    assert "needs a reason" in back.json()["status"][0]
    reopened = client.post(
        url, {"status": "acknowledged", "reason": "Errors are back"}, format="json"
    )
    assert reopened.json()["resolved_at"] is None
    postmortem = Postmortem.objects.get(incident_id=incident["id"])
    assert postmortem.due_on.weekday() < 5
    timeline = client.get(f"/api/v1/incidents/{incident['id']}/timeline/").json()["results"]
    assert [e["kind"] for e in timeline] == ["opened", "status", "status"]
    assert "Errors are back" in timeline[-1]["text"]
    assert AuditEvent.objects.filter(object_type="incident", action="status").count() == 2


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": "x", "severity": "sev9"}, "severity", "is not a valid choice"),
        ({"title": "", "severity": "sev1"}, "title", "may not be blank"),
        (
            {"title": "x", "severity": "sev1", "harm_category": "bad vibes"},
            "harm_category",
            "is not a valid choice",
        ),
    ],
)
def test_bad_incident_input(owner, programme, body, field, message):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/incidents/", body, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Incident.objects.exists()


def test_sev4_postmortem_is_allowed_and_actions_need_an_owner(owner, programme):
    client = api_client_for(owner)
    incident = open_sev1(client, programme, severity="sev4")
    client.post(
        f"/api/v1/incidents/{incident['id']}/status/", {"status": "resolved"}, format="json"
    )
    assert not Postmortem.objects.exists()  # not required for a SEV4
    started = client.post(f"/api/v1/incidents/{incident['id']}/postmortem/")
    assert started.status_code == 201
    actions = f"/api/v1/incidents/{incident['id']}/postmortem/actions/"
    no_owner = client.post(
        actions,
        {"title": "Add a golden-set case", "owner_id": None, "due_on": "2026-12-01"},
        format="json",
    )
    assert no_owner.status_code == 400
    assert "owner" in no_owner.json()["owner"][0]
    owner_person = PersonFactory(name="Olga Owner")
    ok = client.post(
        actions,
        {"title": "Add a golden-set case", "owner_id": owner_person.pk, "due_on": "2026-12-01"},
        format="json",
    )
    assert ok.status_code == 201
    empty = client.patch(
        f"/api/v1/incidents/{incident['id']}/postmortem/", {"complete": True}, format="json"
    )
    assert empty.status_code == 400
    assert "summary" in empty.json()["summary"][0]


def test_serious_incident_starts_a_reporting_clock(owner, programme):
    programme.risk_owner = PersonFactory(name="Rita Risk")
    programme.save()
    client = api_client_for(owner)
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        incident = open_sev1(client, programme)
        marked = client.post(
            f"/api/v1/incidents/{incident['id']}/serious/", {"kind": "widespread"}, format="json"
        )
        assert marked.status_code == 200
        assert marked.json()["report_due_at"] == "2026-11-27T12:00:00Z"
        assert marked.json()["report_due_in_hours"] == 48.0
        bad = client.post(
            f"/api/v1/incidents/{incident['id']}/serious/", {"kind": "meh"}, format="json"
        )
        assert bad.status_code == 400
    for moment, expected in (
        (dt.datetime(2026, 11, 26, 11, 59, tzinfo=UTC), 0),
        (dt.datetime(2026, 11, 26, 12, 0, tzinfo=UTC), 4),  # half-time and a day before, both due
        (dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC), 0),
    ):
        with time_machine.travel(moment, tick=False):
            assert remind_report_deadlines(timezone.now()) == expected


def test_other_programmes_user_and_viewer(owner, viewer, outsider, programme):
    client = api_client_for(owner)
    incident = open_sev1(client, programme)
    assert api_client_for(outsider).get(f"/api/v1/incidents/{incident['id']}/").status_code == 404
    assert (
        api_client_for(outsider).get(f"/api/v1/programmes/{programme.slug}/incidents/").status_code
        == 404
    )
    assert api_client_for(viewer).get(f"/api/v1/incidents/{incident['id']}/").status_code == 200
    assert (
        api_client_for(viewer)
        .post(
            f"/api/v1/incidents/{incident['id']}/status/", {"status": "acknowledged"}, format="json"
        )
        .status_code
        == 403
    )
    assert (
        api_client_for(viewer)
        .post(
            f"/api/v1/programmes/{programme.slug}/incidents/",
            {"title": "x", "severity": "sev3"},
            format="json",
        )
        .status_code
        == 403
    )


def test_the_responder_may_work_on_their_incident(owner, programme):
    responder_user = member(programme, Role.VIEWER, username="resp")
    person = PersonFactory(name="Resp", user=responder_user)
    incident = Incident.objects.create(
        programme=programme, title="t", severity="sev3", opened_at=timezone.now(), responder=person
    )
    acked = api_client_for(responder_user).post(
        f"/api/v1/incidents/{incident.pk}/status/", {"status": "acknowledged"}, format="json"
    )
    assert acked.status_code == 200


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


def test_recording_the_report_stops_the_clock(owner, viewer, programme):
    client = api_client_for(owner)
    incident = open_sev1(client, programme)
    url = f"/api/v1/incidents/{incident['id']}/reported/"
    not_serious = client.post(url)
    assert not_serious.status_code == 400
    assert "Only a serious incident" in not_serious.json()["non_field_errors"][0]
    client.post(f"/api/v1/incidents/{incident['id']}/serious/", {"kind": "death"}, format="json")
    assert api_client_for(viewer).post(url).status_code == 403
    reported = client.post(url)
    assert reported.status_code == 200
    assert reported.json()["reported_at"]
    assert reported.json()["report_due_in_hours"] is None
    assert client.post(url).status_code == 400


def test_alertmanager_resolution_is_not_an_acknowledgement(owner, programme):
    url = alertmanager_url(programme, owner)
    APIClient().post(url, FIRING, format="json")
    APIClient().post(url, resolved_version(FIRING), format="json")
    incident = Incident.objects.get()
    assert incident.status == "mitigated"
    assert incident.mitigated_at is not None
    assert incident.acknowledged_at is None  # nobody acknowledged it: MTTA does not count it


def test_an_incident_names_only_its_own_programmes_metric(owner, programme, other_programme):
    from tests.factories import MetricFactory

    theirs = MetricFactory(programme=other_programme)
    client = api_client_for(owner)
    incident = open_sev1(client, programme, severity="sev3")
    response = client.patch(
        f"/api/v1/incidents/{incident['id']}/", {"metric": theirs.pk}, format="json"
    )
    assert response.status_code == 400
    assert "another programme" in response.json()["metric"][0]
