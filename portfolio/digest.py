"""The Monday digest's text, from the dashboard's own rows: the bucket counts, the programmes
that need attention with their reason, and what changed since the week before."""

import datetime as dt

from programmes.numbers import plain_number

from . import rules
from .changes import Change
from .selectors import Row, bucket_counts


def digest_text(
    rows: list[Row], changes: dict[int, list[Change]], *, since: dt.datetime
) -> tuple[str, str]:
    """The digest's subject and body for ``rows`` (worst first) and their ``changes``."""
    counts = bucket_counts(rows)
    attention = [row for row in rows if row.needs_attention]
    lines = [
        f"{len(rows)} programme{'' if len(rows) == 1 else 's'}: "
        + ", ".join(f"{counts[key]} {label.lower()}" for key, label in rules.BUCKETS),
        "",
    ]
    if attention:
        lines.append(f"Needs attention ({len(attention)}), worst first:")
        lines += [f"• {row.programme.name}: {row.reason_text}{_headline(row)}" for row in attention]
    else:
        lines.append("Nothing needs attention.")
    changed = [row for row in rows if changes.get(row.programme.pk)]
    lines += ["", f"What changed since {since:%a %d %b}:"]
    for row in changed:
        lines.append(f"• {row.programme.name}")
        lines += [f"    {change.text}" for change in changes[row.programme.pk]]
    if not changed:
        lines.append("nothing")
    subject = (
        f"Keel portfolio: {len(attention)} need{'s' if len(attention) == 1 else ''} attention"
        if attention
        else "Keel portfolio: nothing needs attention"
    )
    return subject, "\n".join(lines)


def _headline(row: Row) -> str:
    """The headline's figures, as typed: " — Accuracy: 36 (target 40.5)"."""
    headline, status = row.scorecard.headline, row.scorecard.status
    if headline is None or status is None:
        return ""
    current = "not measured" if status.current is None else plain_number(status.current)
    return f" — {headline.name}: {current} (target {plain_number(headline.target_value)})"
