"""What the readiness tests share: a programme whose every criterion holds, its signers, and
the API calls that open a round and sign it."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from governance.models import (
    Criterion,
    CriterionStatus,
    DefinitionVersion,
    Review,
    ReviewStatus,
    StopCondition,
    StopConditionVersion,
    StopPolicy,
)
from governance.services import readiness as services
from incidents.models import Runbook
from oncall import services as oncall_services
from programmes.models import OWNER_ROLES, Programme, Role
from programmes.rules import access_for
from scorecards.models import Measurement, MeasurementSource, MetricKind
from tests.conftest import api_client_for
from tests.factories import MetricFactory, PersonFactory, leadership_user, measure, member

OWNER = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
ROLE_USERS = {
    "delivery": "delivery_lead",
    "security": "security_owner",
    "risk": "risk_owner",
    "product": "product_owner",
}


def name_owners(programme: Programme) -> dict[str, Any]:
    """Every owner role named, each a person with an editor's account named after the role."""
    users = {}
    for field, label in OWNER_ROLES:
        user = member(programme, Role.EDITOR, username=field)
        setattr(programme, field, PersonFactory(name=label, user=user))
        users[field] = user
    programme.save()
    return users


def hold_review(programme: Programme, held_at: dt.datetime) -> Review:
    """A weekly review of the programme, held at ``held_at``."""
    return Review.objects.create(
        programme=programme,
        scheduled_for=held_at - dt.timedelta(hours=1),
        timezone="UTC",
        missed_after=held_at + dt.timedelta(hours=12),
        remind_at=held_at - dt.timedelta(days=1),
        status=ReviewStatus.HELD,
        started_at=held_at - dt.timedelta(hours=1),
        held_at=held_at,
        closed_at=held_at,
    )


def ruled_stop_condition(
    programme: Programme, *, approved: bool = True, rule_kind: str = "not_measured"
) -> StopCondition:
    """A stop condition with one version, approved (or awaiting approval), with a rule."""
    author = programme.programme_owner or PersonFactory(name="Stop author")
    policy, _ = StopPolicy.objects.get_or_create(programme=programme, defaults={"author": author})
    condition = StopCondition.objects.create(programme=programme, policy=policy)
    StopConditionVersion.objects.create(
        condition=condition,
        number=1,
        text="Not measured for 30 days: escalate.",
        consequence="escalate",
        rule_kind=rule_kind,
        rule={"days": 30} if rule_kind else {},
        written_by=author,
        approved_by=programme.executive_sponsor if approved else None,
        approved_at=timezone.now() if approved else None,
    )
    return condition


def make_ready(programme: Programme) -> dict[str, Any]:
    """A programme whose every default criterion holds: owners, an agreed headline measured
    through the API, cost envelope and cost per task, a runbook, a rotation of two covering the
    next 14 days, a weekly review held yesterday, an approved stop condition with a rule, an
    agreed definition. Returns the owners' users by role field."""
    users = name_owners(programme)
    technical, lead = programme.technical_owner, programme.oncall_lead
    owner, sponsor = programme.programme_owner, programme.executive_sponsor
    assert technical is not None
    assert lead is not None
    assert owner is not None
    assert sponsor is not None
    programme.cost_envelope = Decimal(5000)
    programme.save()
    agreer = PersonFactory(name="Lena Leader", user=leadership_user(username="lena-leader"))
    headline = MetricFactory(
        programme=programme,
        name="Resolution rate",
        agreed_on=timezone.localdate(),
        agreed_by=agreer,
    )
    Measurement.objects.create(
        metric=headline,
        value=Decimal(80),
        measured_at=timezone.now() - dt.timedelta(hours=2),
        source=MeasurementSource.API,
        model_version="triage-v1",
    )
    cost = MetricFactory(
        programme=programme, name="Cost per task", is_headline=False, kind=MetricKind.COST_PER_TASK
    )
    measure(cost, "0.40")
    Runbook.objects.create(programme=programme, title="Triage is down", body="Restart it.")
    oncall_services.create_rotation(
        actor=None,
        programme=programme,
        access=OWNER,
        name="Primary",
        start=timezone.localdate() - dt.timedelta(days=8),
        member_ids=[technical.pk, lead.pk],
        shift_kind="weekly",
    )
    hold_review(programme, timezone.now() - dt.timedelta(days=1))
    ruled_stop_condition(programme)
    services.start_default_criteria(actor=None, programme=programme, access=OWNER)
    Criterion.objects.filter(programme=programme, evidence_check="").update(
        status=CriterionStatus.MET
    )
    version = DefinitionVersion.objects.create(programme=programme, number=1, text="Ready means…")
    version.agreed_on = timezone.localdate()
    version.save()
    version.agreed_by.set([owner, sponsor])
    return users


def open_round(programme: Programme, by: Any, **body: Any) -> dict[str, Any]:
    response = api_client_for(by).post(
        f"/api/v1/programmes/{programme.slug}/readiness/reviews/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def sign(signoff_id: int, by: Any, decision: str = "approved", comment: str = "") -> Any:
    return api_client_for(by).post(
        f"/api/v1/readiness/sign-offs/{signoff_id}/sign/",
        {"decision": decision, "comment": comment},
        format="json",
    )


def approve_all(
    programme: Programme, users: dict[str, Any], *, roles: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Open a round and have each named signer approve (only ``roles`` when given)."""
    review = open_round(programme, users["programme_owner"])
    for signoff in review["signoffs"]:
        if roles and signoff["role"] not in roles:
            continue
        response = sign(signoff["id"], users[ROLE_USERS[signoff["role"]]])
        assert response.status_code == 200, response.json()
    return review


def move_to_production(programme: Programme, by: Any) -> Any:
    client = api_client_for(by)
    if programme.stage == "pilot":
        client.post(
            f"/api/v1/programmes/{programme.slug}/transition/",
            {"stage": "readiness_review", "reason": "Ready to review"},
            format="json",
        )
    return client.post(
        f"/api/v1/programmes/{programme.slug}/transition/",
        {"stage": "production", "reason": "Signed off"},
        format="json",
    )
