"""The demo portfolio's stop policies: every programme has one, with a written-only condition
and a headline rule; the claims assistant has a condition tripped and awaiting a decision, the
support copilot one decided "continue" with a revisit date, the clause extractor one close to
tripping."""

import datetime as dt
from typing import Any

from django.utils import timezone

from programmes.models import Person, Programme, Role
from programmes.registry.demo import demo_loader
from programmes.rules import access_for

from .models import DecisionKind, StopCondition, StopConditionVersion, StopPolicy
from .review_demo import load_demo_reviews  # noqa: F401  (the weekly reviews' loader)
from .services.stop_condition_evaluation import evaluate_programme
from .services.stop_conditions import record_decision

WRITTEN_ONLY = (
    "If the business cannot name the decision this system supports and who acts on it, we "
    "rescope it to one that can.",
    "rescope",
)
# programme name → (text, consequence, rule kind, rule) beyond the two every programme has.
SPECIAL: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "Claims triage assistant": (
        "Two SEV2-or-worse incidents within 30 days: we pause and fix before going on.",
        "pause",
        "incidents",
        {"count": 2, "severity": "sev2", "days": 30},
    ),
    "Customer support copilot": (
        "Any SEV2-or-worse incident within 30 days goes to leadership.",
        "escalate",
        "incidents",
        {"count": 1, "severity": "sev2", "days": 30},
    ),
    "Contract clause extraction": (
        "Clause recall not measured for 45 days: the programme is not being run; escalate.",
        "escalate",
        "not_measured",
        {"days": 45},
    ),
}


def _approver(programme: Programme, author: Person, people: dict[str, Person]) -> Person:
    sponsor = programme.executive_sponsor
    if sponsor is not None and sponsor != author:
        return sponsor
    return people["Helen Okafor"] if author != people["Helen Okafor"] else people["Daniel Kim"]


def _condition(
    policy: StopPolicy,
    author: Person,
    approver: Person,
    text: str,
    consequence: str,
    kind: str = "",
    rule: dict[str, Any] | None = None,
) -> StopCondition:
    condition = StopCondition.objects.create(programme=policy.programme, policy=policy)
    StopConditionVersion.objects.create(
        condition=condition,
        number=1,
        text=text,
        consequence=consequence,
        rule_kind=kind,
        rule=rule or {},
        written_by=author,
        approved_by=approver,
        approved_at=timezone.now(),
    )
    return condition


@demo_loader(order=40)
def load_demo_stop_conditions(*, users: dict[str, Any], people: dict[str, Person]) -> str:
    """Give each demo programme without a stop policy its policy and conditions."""
    today = timezone.localdate()
    loaded = 0
    programmes = Programme.objects.filter(stop_policy__isnull=True).select_related(
        "executive_sponsor", "programme_owner"
    )
    for programme in programmes:
        author = programme.programme_owner or people["Marco Bianchi"]
        approver = _approver(programme, author, people)
        policy = StopPolicy.objects.create(
            programme=programme,
            author=author,
            approved_on=today,
            revisit_on=today + dt.timedelta(days=365),
        )
        policy.approvers.set([approver])
        _condition(policy, author, approver, *WRITTEN_ONLY)
        headline = programme.metrics.filter(is_headline=True).first()
        if headline is not None:
            _condition(
                policy,
                author,
                approver,
                f"{headline.name} worse than its baseline for three measurements in a row: pause.",
                "pause",
                "metric_streak",
                {"threshold": format(headline.baseline_value.normalize(), "f"), "count": 3},
            )
        special = SPECIAL.get(programme.name)
        if special is not None:
            condition = _condition(
                policy, author, approver, special[0], special[1], special[2], special[3]
            )
        evaluate_programme(programme.pk)
        if programme.name == "Customer support copilot":
            condition.refresh_from_db()
            record_decision(
                actor=users["owner"],
                condition=condition,
                access=access_for(role=Role.OWNER, is_staff=False, is_leadership=False),
                kind=DecisionKind.CONTINUE,
                reason="The leaked-order bug is fixed and tested; we keep going and look again "
                "in two weeks.",
                decided_by=approver,
                revisit_on=today + dt.timedelta(days=14),
            )
        loaded += 1
    return f"stop policies for {loaded} programme(s)"


# Readiness's demo loader registers when its module is imported.
from . import readiness_demo  # noqa: E402, F401
