"""The Readiness tab, its forms with and without htmx, the printable statement and its Markdown,
in a fixed number of queries."""

import pytest
from django.utils import timezone

from governance.models import Criterion, DefinitionVersion, SignOff
from governance.services import readiness as services
from tests.conftest import log_in
from tests.factories import PASSWORD
from tests.governance.readiness.helpers import OWNER, make_ready, open_round, sign

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client, programme):
    users = make_ready(programme)
    assert log_in(client, username="programme_owner", password=PASSWORD)
    return users


def test_the_tab_shows_definition_pillars_evidence_and_the_review(client, programme, signed_in):
    review = open_round(programme, signed_in["programme_owner"])
    security = next(s for s in review["signoffs"] if s["role"] == "security")
    sign(security["id"], signed_in["security_owner"], "approved", "Pen test clean")
    page = client.get(f"/programmes/{programme.slug}/readiness/").content.decode()
    assert 'aria-current="page">Readiness<' in page
    assert "Ready means…" in page
    for pillar in (
        "Evaluation harness",
        "Red-team coverage",
        "Observability &amp; runbook",
        "Governance",
        "Operating model",
        "Unit economics",
    ):
        assert f"<h3>{pillar}</h3>" in page
    assert "1 runbook(s)." in page
    assert "Pen test clean" in page
    assert "Product has not approved (pending: Product owner)." in page


def test_a_new_definition_without_javascript_and_a_refusal_keeps_the_value(
    client, programme, signed_in
):
    url = f"/programmes/{programme.slug}/readiness/definition/"
    refused = client.post(url, {"text": "Ready means…"})
    assert refused.status_code == 400
    assert "This is the text of the latest version already." in refused.content.decode()
    written = client.post(url, {"text": "Ready means tested."})
    assert written.status_code == 302
    assert DefinitionVersion.objects.get(programme=programme, number=2).agreed_on is None


def test_agreeing_from_htmx_needs_the_owner_and_the_sponsor(client, programme, signed_in):
    version = services.write_definition(
        actor=None, programme=programme, access=OWNER, text="Ready means tested."
    )
    url = f"/programmes/{programme.slug}/readiness/definition/{version.pk}/agree/"
    today = timezone.localdate().isoformat()
    refused = client.post(
        url, {"agreed_on": today, "agreed_by": [programme.programme_owner_id]}, **HTMX
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert body.lstrip().startswith('<form id="agreement-form"')
    assert "The executive sponsor (Executive sponsor) must be among those agreeing." in body
    agreed = client.post(
        url,
        {
            "agreed_on": today,
            "agreed_by": [programme.programme_owner_id, programme.executive_sponsor_id],
        },
        **HTMX,
    )
    assert agreed.status_code == 200
    assert agreed.headers["HX-Refresh"] == "true"
    version.refresh_from_db()
    assert version.is_agreed


def test_a_new_definition_version_asks_signers_to_reattest(client, programme, signed_in):
    review = open_round(programme, signed_in["programme_owner"])
    delivery = next(s for s in review["signoffs"] if s["role"] == "delivery")
    sign(delivery["id"], signed_in["delivery_lead"])
    version = services.write_definition(actor=None, programme=programme, access=OWNER, text="v2")
    services.agree_definition(
        actor=None,
        version=version,
        access=OWNER,
        agreed_on=timezone.localdate(),
        agreed_by=[programme.programme_owner, programme.executive_sponsor],
    )
    page = client.get(f"/programmes/{programme.slug}/readiness/").content.decode()
    assert "Re-attest: this changed: a new version of the readiness definition (v2)." in page


def test_the_signer_signs_on_the_page_and_a_rejection_without_comment_is_refused(
    client, programme, signed_in
):
    open_round(programme, signed_in["programme_owner"])
    signoff = SignOff.objects.get(role="risk")
    client.logout()
    assert log_in(client, username="risk_owner", password=PASSWORD)
    url = f"/programmes/{programme.slug}/readiness/sign-offs/{signoff.pk}/sign/"
    refused = client.post(url, {"decision": "rejected", "comment": ""})
    assert refused.status_code == 400
    assert "Say what must change before you would approve." in refused.content.decode()
    assert client.post(url, {"decision": "approved", "comment": "Fine"}).status_code == 302
    assert SignOff.objects.get(pk=signoff.pk).decision == "approved"


def test_the_statement_prints_and_downloads_as_markdown(client, programme, signed_in):
    open_round(programme, signed_in["programme_owner"])
    printable = client.get(f"/programmes/{programme.slug}/readiness/statement/")
    assert printable.status_code == 200
    assert "Readiness statement: Claims triage" in printable.content.decode()
    download = client.get(f"/programmes/{programme.slug}/readiness/statement.md")
    assert download["Content-Type"] == "text/markdown; charset=utf-8"
    assert download["Content-Disposition"].startswith(
        'attachment; filename="readiness-claims-triage-'
    )
    text = download.content.decode()
    assert text.startswith("# Readiness statement: Claims triage\n")
    assert "| At least one runbook | Met | 1 runbook(s). |" in text
    assert "| Security | Security owner | Pending |" in text


def test_the_overview_shows_the_pilot_verdict(client, programme, signed_in):
    page = client.get(f"/programmes/{programme.slug}/").content.decode()
    assert "Pilot verdict" in page
    assert "A written readiness definition that has been agreed?" in page


def test_the_tab_takes_the_same_queries_for_many_criteria_and_rounds(
    client, programme, signed_in, django_assert_max_num_queries
):
    url = f"/programmes/{programme.slug}/readiness/"
    open_round(programme, signed_in["programme_owner"])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    first = len(few.captured_queries)
    for n in range(40):
        Criterion.objects.create(programme=programme, pillar="governance", title=f"Extra {n}")
    for _ in range(5):
        open_round(programme, signed_in["programme_owner"])
    with django_assert_max_num_queries(first):
        assert client.get(url).status_code == 200
