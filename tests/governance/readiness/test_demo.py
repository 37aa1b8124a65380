"""The demo's readiness matches its data: production with a passed review, re-attestation after
a model change, two of four sign-offs, and a pilot whatever its stage says."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from governance.models import SignOff
from governance.selectors.pilot_verdict import pilot_verdicts
from governance.selectors.readiness import readiness_of
from programmes.models import Programme
from tests.conftest import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return {p.name: p for p in Programme.objects.select_related("oncall_lead", "risk_owner")}


def test_the_pilot_verdict_of_each_demo_programme_matches_its_data(demo):
    verdicts = pilot_verdicts(list(demo.values()), timezone.now())
    answers = {name: tuple(a.yes for a in verdicts[p.pk].answers) for name, p in demo.items()}
    assert answers == {
        # definition agreed, headline agreed by Helen Okafor (leadership), on-call lead + rotation
        "Claims triage assistant": (True, True, True),
        "Customer support copilot": (True, True, True),
        # agreed definition and headline, an on-call lead but no rotation
        "Fraud alert summariser": (True, True, False),
        # no definition; the headline was never agreed; no on-call lead
        "Contract clause extraction": (False, False, False),
        # no definition; an agreed headline; a lead with no rotation
        "Developer code review bot": (False, True, False),
        # no definition, no headline, no on-call lead
        "Marketing copy generator": (False, False, False),
    }
    assert verdicts[demo["Contract clause extraction"].pk].is_pilot
    assert verdicts[demo["Marketing copy generator"].pk].summary == (
        "A pilot, whatever its stage says."
    )
    assert not verdicts[demo["Fraud alert summariser"].pk].is_pilot


def test_the_demo_has_each_readiness_situation(demo):
    now = timezone.now()
    claims = readiness_of(demo["Claims triage assistant"], now)
    assert (demo["Claims triage assistant"].stage, claims.passed) == ("production", True)
    # Its weekly review and its stop condition are facts in the demo, not waived.
    kept = {s.criterion.evidence_check: s for s in claims.criteria if s.criterion.evidence_check}
    for check in ("weekly_review", "stop_condition"):
        assert (kept[check].status, kept[check].waiver) == ("met", None), check

    fraud = readiness_of(demo["Fraud alert summariser"], now)
    assert fraud.current is not None
    assert all(
        s.changes == ("a new model/version on the headline: summariser-2026-12",)
        for s in fraud.current.signoffs
    )

    copilot = readiness_of(demo["Customer support copilot"], now)
    assert demo["Customer support copilot"].stage == "readiness_review"
    assert copilot.current is not None
    assert sorted(s.signoff.decision for s in copilot.current.signoffs) == [
        "approved",
        "approved",
        "pending",
        "pending",
    ]
    assert not copilot.refusals[0].startswith("Delivery (Oliver Grant) must re-attest")


def test_the_pilot_shows_it_on_its_overview(demo, client):
    assert log_in(client, username="owner", password="demo")
    page = client.get(f"/programmes/{demo['Contract clause extraction'].slug}/").content.decode()
    assert "a pilot, whatever its stage says" in page
    assert "Write and agree the readiness definition" in page


def test_the_demo_reloads_without_change(demo):
    before = SignOff.objects.count()
    call_command("load_demo", verbosity=0)
    assert SignOff.objects.count() == before == 12
