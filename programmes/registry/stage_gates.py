"""Stage gates: a check that must let a programme through before it enters a stage. The app that
owns the evidence (``governance``'s readiness reviews) registers the gate in its
``AppConfig.ready``. A gated stage with no gate registered stays closed."""

from collections.abc import Callable
from dataclasses import dataclass

from programmes.models import Programme, Stage

# A check returns why the programme may not enter the stage, or None to let it through.
GateCheck = Callable[[Programme], str | None]

# Stages that need evidence Keel records elsewhere, with the refusal while no gate is registered.
GATED_STAGES: dict[str, str] = {
    Stage.PRODUCTION: (
        "Production needs a passed readiness review: delivery, security, risk & compliance "
        "and product must each approve first."
    ),
}


@dataclass(frozen=True)
class StageGate:
    to_stage: str
    name: str
    check: GateCheck


_gates: dict[str, StageGate] = {}


def register_stage_gate(*, to_stage: str, name: str, check: GateCheck) -> None:
    _gates[f"{to_stage}:{name}"] = StageGate(to_stage=to_stage, name=name, check=check)


def gate_refusal(programme: Programme, to_stage: str) -> str | None:
    """Why ``programme`` may not enter ``to_stage`` now, or None when every gate lets it in."""
    gates = [gate for gate in _gates.values() if gate.to_stage == to_stage]
    if not gates:
        return GATED_STAGES.get(to_stage)
    for gate in gates:
        refusal = gate.check(programme)
        if refusal:
            return refusal
    return None
