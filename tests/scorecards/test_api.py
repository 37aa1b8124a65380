import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from programmes.models import AuditEvent, Channel, Notification, ProgrammeToken
from scorecards.models import Measurement, Metric
from scorecards.notification_kinds import COST_ENVELOPE, METRIC_REGRESSION
from tests.conftest import api_client_for
from tests.factories import MetricFactory, PersonFactory, leadership_user, measure

pytestmark = pytest.mark.django_db


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def issue_token(owner, programme) -> str:
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/tokens/", {"name": "eval harness"}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def runs(count: int, *, start: float = 75.0, step: float = 0.1):
    """``count`` evaluation runs, one an hour, ending an hour ago; the last is the best."""
    end = timezone.now() - dt.timedelta(hours=1)
    return [
        {
            "value": f"{start + step * i:.1f}",
            "measured_at": (end - dt.timedelta(hours=count - 1 - i)).isoformat(),
            "external_id": f"run-{i}",
            "model_version": "claims-gpt-2026-10",
        }
        for i in range(count)
    ]


@pytest.fixture
def metric(programme):
    return MetricFactory(programme=programme, name="Routing accuracy")


def test_ingest_token_posts_the_same_runs_twice_without_duplicates(owner, programme, metric):
    key = issue_token(owner, programme)
    assert key.startswith("keel_prog_")
    assert not ProgrammeToken.objects.filter(key_hash=key).exists()  # only the hash is kept
    harness = token_client(key)
    batch = runs(100)

    first = harness.post(f"/api/v1/metrics/{metric.pk}/measurements/", batch, format="json")
    second = harness.post(f"/api/v1/metrics/{metric.pk}/measurements/", batch, format="json")

    assert first.status_code == 201
    assert first.json() == {"created": 100, "existing": 0, "conflicts": []}
    assert second.status_code == 200
    assert second.json() == {"created": 0, "existing": 100, "conflicts": []}
    assert metric.measurements.count() == 100
    assert set(metric.measurements.values_list("source", flat=True)) == {"evaluation_run"}

    shown = harness.get(f"/api/v1/metrics/{metric.pk}/").json()
    # The latest run is 75 + 99 × 0.1 = 84.9: (84.9 − 70) / (90 − 70) = 74.5 %.
    assert Decimal(shown["current"]) == Decimal("84.9")
    assert shown["progress"] == "74.5"
    assert shown["expected_progress"] == "50.0"
    assert shown["rag"] == "green"
    assert shown["regression"] is None


def test_ingest_token_cannot_reach_another_programme(owner, programme, metric, other_programme):
    harness = token_client(issue_token(owner, programme))
    elsewhere = MetricFactory(programme=other_programme)

    assert harness.get(f"/api/v1/metrics/{elsewhere.pk}/").status_code == 404
    posted = harness.post(f"/api/v1/metrics/{elsewhere.pk}/measurements/", runs(1), format="json")
    assert posted.status_code == 404
    assert harness.get(f"/api/v1/programmes/{other_programme.slug}/metrics/").status_code == 404
    assert [m["id"] for m in harness.get("/api/v1/metrics/").json()["results"]] == [metric.pk]
    assert not elsewhere.measurements.exists()


def test_ingest_token_can_only_read_metrics_and_post_measurements(owner, programme, metric):
    harness = token_client(issue_token(owner, programme))
    assert harness.patch(f"/api/v1/metrics/{metric.pk}/", {"name": "x"}).status_code == 403
    assert harness.delete(f"/api/v1/metrics/{metric.pk}/").status_code == 403
    assert harness.get("/api/v1/programmes/").status_code == 403
    assert harness.post("/api/v1/programmes/", {"name": "Mine now"}).status_code == 403
    assert harness.get("/api/v1/notifications/").status_code == 403


def test_revoked_token_stops_working(owner, programme, metric):
    key = issue_token(owner, programme)
    token = ProgrammeToken.objects.get()
    client = api_client_for(owner)
    revoked = client.delete(f"/api/v1/programmes/{programme.slug}/tokens/{token.pk}/")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"]
    assert token_client(key).get(f"/api/v1/metrics/{metric.pk}/").status_code == 401
    assert AuditEvent.objects.filter(action="revoke", object_type="programmetoken").exists()
    listed = client.get(f"/api/v1/programmes/{programme.slug}/tokens/").json()["results"]
    assert "token" not in listed[0]
    assert listed[0]["hint"] == key[-4:]


def test_only_owners_manage_tokens(editor, viewer, outsider, programme):
    url = f"/api/v1/programmes/{programme.slug}/tokens/"
    assert api_client_for(editor).post(url, {"name": "x"}).status_code == 403
    assert api_client_for(viewer).get(url).status_code == 403
    assert api_client_for(outsider).post(url, {"name": "x"}).status_code == 404


def test_regression_alerts_the_metric_owner_once_for_a_run_of_bad_measurements(
    owner, programme, metric
):
    client = api_client_for(owner)
    measure(metric, 80, 81, 82, start=timezone.now() - dt.timedelta(days=1))
    url = f"/api/v1/metrics/{metric.pk}/measurements/"
    now = timezone.now()
    bad = [{"value": "65", "measured_at": (now - dt.timedelta(minutes=40)).isoformat()}]
    assert client.post(url, bad, format="json").status_code == 201
    assert client.get(f"/api/v1/metrics/{metric.pk}/").json()["rag"] == "red"

    for minutes, value in ((30, "64"), (20, "66"), (10, "63")):
        later = [{"value": value, "measured_at": (now - dt.timedelta(minutes=minutes)).isoformat()}]
        assert client.post(url, later, format="json").status_code == 201

    shown = client.get(f"/api/v1/metrics/{metric.pk}/").json()
    assert shown["rag"] == "red"
    assert "worse than the baseline" in shown["regression"]
    to_owner = Notification.objects.filter(kind=METRIC_REGRESSION, recipient=metric.owner)
    assert to_owner.filter(channel=Channel.IN_APP).count() == 1
    assert to_owner.filter(channel=Channel.EMAIL).count() == 1
    assert metric.regressions.count() == 1


def test_recovery_closes_the_regression_and_a_new_one_alerts_again(owner, programme, metric):
    client = api_client_for(owner)
    url = f"/api/v1/metrics/{metric.pk}/measurements/"
    now = timezone.now()
    for minutes, value in ((50, "60"), (40, "80"), (30, "60")):
        row = {"value": value, "measured_at": (now - dt.timedelta(minutes=minutes)).isoformat()}
        client.post(url, [row], format="json")
    assert metric.regressions.count() == 2
    assert metric.regressions.filter(closed_at__isnull=True).count() == 1
    in_app = Notification.objects.filter(
        kind=METRIC_REGRESSION, recipient=metric.owner, channel=Channel.IN_APP
    )
    assert in_app.count() == 2


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"value": "abc"}, "value", "A valid number is required."),
        ({"value": "NaN"}, "value", "A valid number is required."),
        ({"measured_at": "yesterday"}, "measured_at", "Datetime has wrong format"),
        ({"measured_at": "2099-01-01T00:00:00Z"}, "measured_at", "in the future"),
    ],
)
def test_bad_measurements_refuse_the_whole_batch(owner, metric, row, field, message):
    batch = runs(3)
    batch[1].update(row)
    response = api_client_for(owner).post(
        f"/api/v1/metrics/{metric.pk}/measurements/", batch, format="json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["1"]
    assert message in errors["1"][field][0]
    assert not Measurement.objects.exists()


def test_measurements_body_must_be_a_non_empty_list(owner, metric):
    client = api_client_for(owner)
    url = f"/api/v1/metrics/{metric.pk}/measurements/"
    assert client.post(url, {"value": 1}, format="json").status_code == 400
    assert client.post(url, [], format="json").status_code == 400


def test_measurements_list_filters_by_since_and_until(owner, metric):
    measure(metric, 71, 72, 73, 74, start=dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC))
    client = api_client_for(owner)
    url = f"/api/v1/metrics/{metric.pk}/measurements/"
    response = client.get(url, {"since": "2026-11-02T00:00:00Z", "until": "2026-11-03T23:00:00Z"})
    assert [row["value"] for row in response.json()["results"]] == ["72.000000", "73.000000"]
    backwards = client.get(url, {"since": "2026-11-03T00:00:00Z", "until": "2026-11-01T00:00:00Z"})
    assert backwards.status_code == 400
    assert "until" in backwards.json()


def metric_body(**changes):
    body = {
        "name": "Routing accuracy",
        "unit": "%",
        "is_headline": True,
        "direction": "higher",
        "baseline_value": "72",
        "baseline_date": "2026-06-01",
        "target_value": "90",
        "target_date": "2027-03-31",
    }
    return {**body, **changes}


def test_create_metric_and_read_it_under_the_programme(owner, programme):
    client = api_client_for(owner)
    response = client.post(
        f"/api/v1/programmes/{programme.slug}/metrics/", metric_body(), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["current"] is None
    assert response.json()["progress"] == "0.0"
    listed = client.get(f"/api/v1/programmes/{programme.slug}/metrics/").json()
    assert [m["name"] for m in listed["results"]] == ["Routing accuracy"]
    assert AuditEvent.objects.filter(action="create", object_type="metric").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_value": "60"}, "target_value", "must be better than the baseline"),
        ({"direction": "lower"}, "target_value", "lower is better"),
        ({"target_date": "2026-01-01"}, "target_date", "must come after the baseline date"),
        ({"baseline_value": "lots"}, "baseline_value", "A valid number is required."),
        ({"name": ""}, "name", "This field may not be blank."),
        ({"direction": "sideways"}, "direction", "is not a valid choice"),
    ],
)
def test_metric_validation_errors(owner, programme, changes, field, message):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/metrics/", metric_body(**changes), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Metric.objects.exists()


def test_second_headline_is_refused(owner, programme, metric):
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/metrics/",
        metric_body(name="Another"),
        format="json",
    )
    assert response.status_code == 400
    assert "already has a headline metric" in response.json()["is_headline"][0]


def test_agreed_by_must_be_leadership(owner, programme, leader):
    not_a_leader = PersonFactory()
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/metrics/",
        metric_body(agreed_by=not_a_leader.pk, agreed_on="2026-06-01"),
        format="json",
    )
    assert response.status_code == 400
    assert "leadership" in response.json()["agreed_by"][0]
    helen = PersonFactory(user=leadership_user(username="helen"))
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/metrics/",
        metric_body(agreed_by=helen.pk, agreed_on="2026-06-01"),
        format="json",
    )
    assert response.status_code == 201, response.content


def test_agreed_target_changes_only_with_a_reason_which_is_audited(owner, programme):
    helen = PersonFactory(user=leadership_user(username="helen"))
    metric = MetricFactory(programme=programme, agreed_by=helen, agreed_on=dt.date(2026, 1, 5))
    client = api_client_for(owner)
    url = f"/api/v1/metrics/{metric.pk}/"
    refused = client.patch(url, {"target_value": "95"}, format="json")
    assert refused.status_code == 400
    assert "say why" in refused.json()["reason"][0]
    metric.refresh_from_db()
    assert metric.target_value == Decimal(90)

    accepted = client.patch(
        url, {"target_value": "95", "reason": "Leadership raised the bar in Q3"}, format="json"
    )
    assert accepted.status_code == 200
    event = AuditEvent.objects.filter(action="update", object_type="metric").get()
    assert event.before == {"target_value": "90.000000"}
    assert event.after["reason"] == "Leadership raised the bar in Q3"
    # Not agreed metrics change freely.
    unagreed = MetricFactory(programme=programme, is_headline=False)
    assert (
        client.patch(
            f"/api/v1/metrics/{unagreed.pk}/", {"target_value": "95"}, format="json"
        ).status_code
        == 200
    )


def test_baseline_promotion_is_explicit_and_audited(owner, metric):
    client = api_client_for(owner)
    url = f"/api/v1/metrics/{metric.pk}/promote-baseline/"
    assert client.post(url, {"value": "78", "baseline_date": "2026-10-01"}).status_code == 400
    response = client.post(
        url, {"value": "78", "baseline_date": "2026-10-01", "reason": "New golden set v2"}
    )
    assert response.status_code == 200
    assert response.json()["baseline_value"] == "78.000000"
    event = AuditEvent.objects.get(action="promote_baseline")
    assert event.actor == owner
    assert event.after["reason"] == "New golden set v2"
    assert event.before["baseline_value"] == "70.000000"


def test_assessment_override_needs_a_reason_and_shows_beside_computed_rag(owner, metric):
    measure(metric, 84, 85)  # 75 % of the way with 50 % expected: green
    client = api_client_for(owner)
    url = f"/api/v1/metrics/{metric.pk}/assessments/"
    refused = client.post(url, {"confidence": 2, "rag_override": "amber"})
    assert refused.status_code == 400
    assert "reason" in refused.json()
    assert client.post(url, {"confidence": 9}).status_code == 400
    recorded = client.post(
        url, {"confidence": 2, "rag_override": "amber", "reason": "Vendor model sunset in Q1"}
    )
    assert recorded.status_code == 201
    assert recorded.json()["computed_rag"] == "green"
    shown = client.get(f"/api/v1/metrics/{metric.pk}/").json()
    assert (shown["rag"], shown["rag_override"], shown["confidence"]) == ("green", "amber", 2)
    assert len(client.get(url).json()["results"]) == 1


def test_viewer_reads_but_cannot_write(viewer, metric, programme):
    client = api_client_for(viewer)
    assert client.get(f"/api/v1/metrics/{metric.pk}/").status_code == 200
    assert client.patch(f"/api/v1/metrics/{metric.pk}/", {"name": "x"}).status_code == 403
    posted = client.post(f"/api/v1/metrics/{metric.pk}/measurements/", runs(1), format="json")
    assert posted.status_code == 403
    created = client.post(
        f"/api/v1/programmes/{programme.slug}/metrics/", metric_body(), format="json"
    )
    assert created.status_code == 403
    assert client.delete(f"/api/v1/metrics/{metric.pk}/").status_code == 403


def test_another_programmes_user_gets_404_everywhere(outsider, metric, programme):
    client = api_client_for(outsider)
    assert client.get(f"/api/v1/metrics/{metric.pk}/").status_code == 404
    assert client.get(f"/api/v1/metrics/{metric.pk}/measurements/").status_code == 404
    assert (
        client.post(
            f"/api/v1/metrics/{metric.pk}/measurements/", runs(1), format="json"
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/programmes/{programme.slug}/metrics/").status_code == 404
    assert client.get(f"/api/v1/programmes/{programme.slug}/scorecard/").status_code == 404
    assert client.get("/api/v1/metrics/").json()["count"] == 0


def test_leader_reads_every_scorecard(leader, metric):
    assert api_client_for(leader).get(f"/api/v1/metrics/{metric.pk}/").status_code == 200


def test_delete_metric_is_audited(owner, metric):
    measure(metric, 75, 76)
    response = api_client_for(owner).delete(f"/api/v1/metrics/{metric.pk}/")
    assert response.status_code == 204
    event = AuditEvent.objects.get(action="delete", object_type="metric")
    assert event.before["measurements"] == 2


def test_cost_envelope_breach_notifies_once_a_month(owner, programme):
    programme.cost_envelope = Decimal(9500)
    programme.programme_owner = PersonFactory()
    programme.save()
    cost = MetricFactory(
        programme=programme,
        is_headline=False,
        name="Cost per reply",
        kind="cost_per_task",
        direction="lower",
        baseline_value=Decimal("0.15"),
        target_value=Decimal("0.08"),
        regression_tolerance=Decimal("0.5"),
    )
    MetricFactory(
        programme=programme,
        is_headline=False,
        name="Replies a month",
        kind="task_volume",
        baseline_value=Decimal(10000),
        target_value=Decimal(90000),
    )
    client = api_client_for(owner)
    url = f"/api/v1/metrics/{cost.pk}/measurements/"
    for minutes, value in ((30, "0.12"), (20, "0.13")):
        row = {"value": value, "measured_at": (timezone.now() - dt.timedelta(minutes=minutes))}
        client.post(url, [{**row, "measured_at": row["measured_at"].isoformat()}], format="json")

    scorecard = client.get(f"/api/v1/programmes/{programme.slug}/scorecard/").json()
    economics = scorecard["unit_economics"]
    assert economics["projected_monthly_cost"] == "11700.00"
    assert economics["breached"] is True
    breaches = Notification.objects.filter(kind=COST_ENVELOPE, channel=Channel.IN_APP)
    assert {n.recipient for n in breaches} == {cost.owner, programme.programme_owner}
    assert breaches.count() == 2


def test_metric_list_runs_a_constant_number_of_queries(
    owner, programme, django_assert_max_num_queries
):
    metrics = [
        MetricFactory(programme=programme, is_headline=i == 0, name=f"M{i}") for i in range(10)
    ]
    for metric in metrics:
        measure(metric, *[70 + (i % 7) for i in range(120)])
    client = api_client_for(owner)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/metrics/")
    assert response.json()["count"] == 10
    with django_assert_max_num_queries(12):
        client.get(f"/api/v1/programmes/{programme.slug}/metrics/")
    with django_assert_max_num_queries(12):
        client.get(f"/api/v1/programmes/{programme.slug}/scorecard/")
    with django_assert_max_num_queries(12):
        client.get(f"/api/v1/metrics/{metrics[0].pk}/measurements/")
