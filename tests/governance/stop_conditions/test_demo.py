"""The demo: every programme has a stop policy; one condition tripped and awaiting a decision,
one decided "continue" with a revisit date, one close to tripping, one written-only."""

import pytest
from django.core.management import call_command

from governance.models import StopCondition, StopConditionDecision, StopPolicy
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_gives_every_programme_a_policy_with_each_kind_of_standing():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)

    assert StopPolicy.objects.count() == Programme.objects.count()
    claims = StopCondition.objects.filter(programme__name="Claims triage assistant")
    assert claims.filter(state="tripped").count() == 1
    continued = StopConditionDecision.objects.get()
    assert continued.kind == "continue"
    assert continued.revisit_on is not None
    assert continued.condition.programme.name == "Customer support copilot"
    close = StopCondition.objects.get(
        programme__name="Contract clause extraction", versions__rule_kind="not_measured"
    )
    assert close.distance_fraction is not None
    assert close.distance_fraction >= 0.5
    assert close.distance.startswith("last measured 40 of 45 days ago")
    assert StopCondition.objects.filter(reading="manual").count() == Programme.objects.count()
