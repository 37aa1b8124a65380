"""The readiness statement as Markdown: definition, criteria with their evidence, waivers and
sign-offs with dates, for a statement of work or an audit file."""

from .selectors.readiness import Readiness


def _line(text: str) -> str:
    return " ".join(text.split())


def statement_markdown(readiness: Readiness) -> str:
    programme = readiness.programme
    lines = [
        f"# Readiness statement: {programme.name}",
        "",
        f"Stage: {programme.get_stage_display()}. As of {readiness.now:%Y-%m-%d %H:%M} UTC.",
        "",
        "Production readiness: "
        + ("passed." if readiness.passed else "not passed. " + " ".join(readiness.refusals)),
        "",
        "## Definition",
        "",
    ]
    definition = readiness.definition
    if definition is None:
        lines.append("No agreed definition.")
    else:
        people = ", ".join(person.name for person in definition.agreed_by.all())
        lines += [
            f"Version {definition.number}, agreed on {definition.agreed_on:%Y-%m-%d} by {people}.",
            "",
            definition.text,
        ]
    lines += ["", "## Criteria", ""]
    for pillar, states in readiness.by_pillar:
        lines += [
            f"### {pillar}",
            "",
            "| Criterion | Status | Evidence | Owner |",
            "|---|---|---|---|",
        ]
        for state in states:
            criterion = state.criterion
            evidence = state.evidence.fact if state.evidence else criterion.evidence_link
            if state.waiver is not None:
                evidence = (
                    f"Waived until {state.waiver.expires_on:%Y-%m-%d} by {state.waiver.approver}: "
                    f"{state.waiver.reason}"
                )
            owner = criterion.owner.name if criterion.owner else ""
            cells = [criterion.title, state.status_label, evidence or state.reopened, owner]
            lines.append("| " + " | ".join(_line(c).replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    lines += ["## Sign-offs", ""]
    rounds = [r for r in (readiness.current, *readiness.past) if r is not None]
    if not rounds:
        lines.append("No readiness review yet.")
    for review in rounds:
        lines += [
            f"### Round {review.review.round} ({review.review.get_outcome_display().lower()}, "
            f"opened {review.review.opened_at:%Y-%m-%d})",
            "",
            "| Role | Signer | Decision | Date | Expires | Comment |",
            "|---|---|---|---|---|---|",
        ]
        for signoff_state in review.signoffs:
            s = signoff_state.signoff
            cells = [
                s.get_role_display(),
                s.signer.name,
                s.get_decision_display() + (" (expired)" if signoff_state.expired else ""),
                f"{s.decided_at:%Y-%m-%d}" if s.decided_at else "",
                f"{s.expires_at:%Y-%m-%d}" if s.expires_at else "",
                s.comment,
            ]
            lines.append("| " + " | ".join(_line(c).replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
