"""Section 2: the scorecard as the production meeting reads it, ``OK|BAD name: current vs
target``, with each metric's change since the last review, progress against the expected
progress, computed and overridden RAG side by side, and the period's regressions and
model-version changes."""

from typing import Any

from django.db.models import OuterRef, Subquery

from scorecards import selectors as scorecard_selectors
from scorecards.models import Measurement, Metric, Regression

from .. import review_rules
from .context import AgendaContext, item, section


def scorecard(ctx: AgendaContext) -> dict[str, Any]:
    metrics = ctx.metrics
    before = Measurement.objects.filter(metric=OuterRef("pk"), measured_at__lte=ctx.since).order_by(
        "-measured_at", "-id"
    )
    then = {
        row["pk"]: row
        for row in Metric.objects.filter(programme=ctx.programme)
        .annotate(
            value_then=Subquery(before.values("value")[:1]),
            version_then=Subquery(before.values("model_version")[:1]),
        )
        .values("pk", "value_then", "version_then")
    }
    period = scorecard_selectors.measurements_between(metrics, since=ctx.since, until=ctx.until)
    regressions = {
        r.metric_id: r
        for r in Regression.objects.filter(
            metric__programme=ctx.programme, opened_at__gte=ctx.since, opened_at__lt=ctx.until
        ).order_by("opened_at")
    }
    items = []
    for metric in metrics:
        status = scorecard_selectors.status_of(metric, ctx.until)
        ok = status.rag == "green" and not status.stale
        previous = then.get(metric.pk, {}).get("value_then")
        change = review_rules.change_since(status.current, previous)
        line = review_rules.scorecard_line(
            ok=ok,
            name=metric.name,
            current=status.current,
            target=metric.target_value,
            unit=metric.unit,
        )
        details = [
            f"progress {review_rules.plain(status.progress)} % vs expected "
            f"{review_rules.plain(status.expected_progress)} %",
            f"RAG {status.rag}"
            + (
                f", overridden {status.rag_override} ({status.override_reason})"
                if status.rag_override
                else ""
            ),
        ]
        if change is not None:
            sign = "+" if change > 0 else ""
            details.append(f"{sign}{review_rules.plain(change)} since the last review")
        if status.stale:
            details.append("not reported within its window")
        regression = regressions.get(metric.pk)
        if regression is not None:
            details.append(
                f"regression opened {ctx.moment(regression.opened_at)}: {regression.reason}"
            )
        versions = _version_changes(
            then.get(metric.pk, {}).get("version_then") or "", period[metric.pk]
        )
        if versions:
            details.append("model/version changed: " + ", ".join(versions))
        items.append(
            item(
                f"scorecard:metric:{metric.pk}",
                ("Headline: " if metric.is_headline else "") + line,
                tone="ok" if ok else "bad",
                detail="; ".join(details),
                link=metric.get_absolute_url(),
                metric_id=metric.pk,
                headline=metric.is_headline,
                current=None if status.current is None else str(status.current),
                target=str(metric.target_value),
                change=None if change is None else str(change),
                progress=str(status.progress),
                expected_progress=str(status.expected_progress),
                rag=status.rag,
                rag_override=status.rag_override,
                regression=None if regression is None else regression.reason,
                model_versions=versions,
            )
        )
    return section("scorecard", "Scorecard", items, empty="The programme has no metrics yet.")


def _version_changes(previous: str, rows: list[Measurement]) -> list[str]:
    changes = []
    for row in rows:
        if row.model_version and previous and row.model_version != previous:
            changes.append(f"{previous} → {row.model_version}")
        previous = row.model_version or previous
    return changes
