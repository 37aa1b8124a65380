"""What the stop-condition tests share: writing and approving a condition through the API,
posting measurements with an ingest token."""

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import api_client_for

STREAK_RULE = {"threshold": "65", "count": 3}


def token_client(owner: Any, programme: Any) -> APIClient:
    response = api_client_for(owner).post(
        f"/api/v1/programmes/{programme.slug}/tokens/", {"name": "eval harness"}, format="json"
    )
    assert response.status_code == 201, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def write_condition(
    user: Any,
    programme: Any,
    *,
    rule_kind: str = "metric_streak",
    rule: dict[str, Any] | None = None,
    consequence: str = "pause",
    text: str = "Routing accuracy below 65 % for three runs in a row: pause.",
) -> Any:
    body: dict[str, Any] = {"text": text, "consequence": consequence, "rule_kind": rule_kind}
    if rule_kind:
        body["rule"] = STREAK_RULE if rule is None else rule
    return api_client_for(user).post(
        f"/api/v1/programmes/{programme.slug}/stop-conditions/", body, format="json"
    )


def approve(user: Any, condition_id: int) -> Any:
    return api_client_for(user).post(f"/api/v1/stop-conditions/{condition_id}/approvals/")


def runs(
    *values: float, end: dt.datetime | None = None, prefix: str = "run"
) -> list[dict[str, Any]]:
    """One measurement an hour per value, the last an hour ago (or at ``end``)."""
    last = end or timezone.now() - dt.timedelta(hours=1)
    return [
        {
            "value": str(value),
            "measured_at": (last - dt.timedelta(hours=len(values) - 1 - i)).isoformat(),
            "external_id": f"{prefix}-{i}",
        }
        for i, value in enumerate(values)
    ]
