"""The pilot verdict: the seed's three honest questions answered from data, for many programmes
in a fixed number of queries. All three "no" is a pilot, whatever its stage says."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import F, Max
from django.urls import reverse

from oncall.models import Rotation
from oncall.selectors import on_call_now, rotations_with_versions
from programmes.any_of import AnyOf
from programmes.models import Programme
from programmes.numbers import plain_number

from ..models import DefinitionVersion
from ..readiness_evidence.facts import headline_agreements


@dataclass(frozen=True)
class PilotAnswer:
    question: str
    yes: bool
    fact: str
    fix: str
    # The page that fixes it, by URL name and programme slug: reversed only when shown, since
    # the dashboard and the digest judge thousands of programmes and show no link.
    fix_view: str
    slug: str

    @property
    def fix_url(self) -> str:
        return reverse(self.fix_view, kwargs={"slug": self.slug})


@dataclass(frozen=True)
class PilotVerdict:
    answers: tuple[PilotAnswer, ...]
    missing: tuple[PilotAnswer, ...] = field(default=())

    @property
    def is_pilot(self) -> bool:
        """All three answers "no": a pilot, whatever its stage says."""
        return not any(answer.yes for answer in self.answers)

    @property
    def summary(self) -> str:
        if self.is_pilot:
            return "A pilot, whatever its stage says."
        if self.missing:
            return f"{len(self.missing)} of 3 answers missing."
        return "All three answered."


def pilot_verdicts(
    programmes: Sequence[Programme], now: dt.datetime, rotations: list[Rotation] | None = None
) -> dict[int, PilotVerdict]:
    """The seed's three questions for each programme, answered from data, by programme id.
    ``rotations``: the programmes' rotations (``rotations_with_versions``), when the caller has
    them."""
    ids = [programme.pk for programme in programmes]
    agreed = dict(
        DefinitionVersion.objects.filter(AnyOf(F("programme_id"), ids), agreed_on__isnull=False)
        .values("programme_id")
        .annotate(on=Max("agreed_on"))
        .values_list("programme_id", "on")
    )
    headlines = headline_agreements(ids)
    if rotations is None:
        rotations = rotations_with_versions(ids)
    on_call: set[int] = {
        answer.rotation.programme_id
        for answer in on_call_now(rotations, now)
        if answer.now is not None and answer.now.person_id is not None
    }
    verdicts = {}
    for programme in programmes:
        slug = programme.slug
        definition_on = agreed.get(programme.pk)
        headline = headlines.get(programme.pk)
        scorecard_agreed = bool(headline and headline.agreed_on and headline.agreed_by_leadership)
        lead = programme.oncall_lead.name if programme.oncall_lead else None
        answers = (
            PilotAnswer(
                "A written readiness definition that has been agreed?",
                definition_on is not None,
                f"Agreed on {definition_on:%Y-%m-%d}." if definition_on else "None agreed.",
                "Write and agree the readiness definition",
                "readiness",
                slug,
            ),
            PilotAnswer(
                "A scorecard agreed with leadership?",
                scorecard_agreed,
                (
                    f"{headline.name}: baseline {plain_number(headline.baseline)}, target "
                    f"{plain_number(headline.target)}, agreed by {headline.agreed_by} on "
                    f"{headline.agreed_on:%Y-%m-%d}."
                    if scorecard_agreed and headline and headline.agreed_on
                    else "No headline with baseline and target agreed by a leadership member."
                ),
                "Agree the headline with leadership",
                "scorecard",
                slug,
            ),
            PilotAnswer(
                "A named on-call owner?",
                lead is not None and programme.pk in on_call,
                (
                    f"{lead} leads on-call and someone is on call now."
                    if lead and programme.pk in on_call
                    else f"On-call lead: {lead or 'nobody'}; "
                    f"on call now: {'someone' if programme.pk in on_call else 'nobody'}."
                ),
                "Name an on-call lead and a rotation",
                "programme-oncall",
                slug,
            ),
        )
        verdicts[programme.pk] = PilotVerdict(
            answers, tuple(answer for answer in answers if not answer.yes)
        )
    return verdicts


def pilot_verdict(programme: Programme, now: dt.datetime) -> PilotVerdict:
    return pilot_verdicts([programme], now)[programme.pk]
