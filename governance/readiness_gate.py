"""The production stage gate: a programme enters production only with a passed, unexpired
readiness review (four approvals by four people, every criterion met or waived)."""

from django.utils import timezone

from programmes.models import Programme

from .selectors.pilot_verdict import pilot_verdict
from .selectors.readiness import readiness_of


def production_refusal(programme: Programme) -> str | None:
    refusals = readiness_of(programme, timezone.now()).refusals
    if not refusals:
        return None
    return "Production needs a passed readiness review. " + " ".join(refusals)


def readiness_flag(*, request: object, programme: Programme, **_: object) -> dict[str, str]:
    """The warning every programme page shows of a programme in production whose readiness no
    longer holds (an expired sign-off, a change to re-attest, a criterion that stopped holding)."""
    if programme.stage != "production":
        return {"readiness_warning": ""}
    return {"readiness_warning": readiness_of(programme, timezone.now()).warning}


def pilot_verdict_panel(*, request: object, programme: Programme, **_: object) -> dict[str, object]:
    """The pilot verdict on the programme overview."""
    return {"verdict": pilot_verdict(programme, timezone.now())}
