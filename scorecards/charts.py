"""Server-rendered SVG charts of a metric's series: the line, baseline and target, and markers
for regressions and model changes. Geometry only; the template draws it."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from programmes.numbers import plain_number

from .rules import MarkedPoint

# More points than a chart is pixels wide only slows the page; flagged points are always kept.
MAX_POINTS = 400


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    kind: str  # "regression" or "model-change"
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    path: str
    baseline_y: float
    target_y: float
    baseline_label: str
    target_label: str
    markers: list[Marker] = field(default_factory=list)
    start_label: str = ""
    end_label: str = ""
    last_x: float | None = None
    last_y: float | None = None
    point_count: int = 0
    description: str = ""

    @property
    def empty(self) -> bool:
        return self.point_count == 0


def thin(points: Sequence[MarkedPoint], limit: int = MAX_POINTS) -> list[MarkedPoint]:
    """At most about ``limit`` points, evenly spread, keeping every flagged point and the last."""
    if len(points) <= limit:
        return list(points)
    step = len(points) / limit
    keep = {int(i * step) for i in range(limit)} | {len(points) - 1}
    keep |= {i for i, p in enumerate(points) if p.regression or p.model_change}
    return [points[i] for i in sorted(keep)]


def build_chart(
    points: Sequence[MarkedPoint],
    *,
    baseline: Decimal,
    target: Decimal,
    unit: str = "",
    width: int = 640,
    height: int = 220,
    padding: int = 12,
) -> Chart:
    """Place a series (oldest first) with its baseline and target lines in a width × height box."""
    shown = thin(points)
    values = [p.point.value for p in shown] + [baseline, target]
    low, high = min(values), max(values)
    if high == low:
        high, low = high + 1, low - 1
    span = high - low
    low, high = low - span * Decimal("0.05"), high + span * Decimal("0.05")

    def y_of(value: Decimal) -> float:
        share = float((value - low) / (high - low))
        return round(height - padding - share * (height - 2 * padding), 1)

    suffix = f" {unit}" if unit else ""
    chart_kwargs: dict[str, Any] = {
        "width": width,
        "height": height,
        "baseline_y": y_of(baseline),
        "target_y": y_of(target),
        "baseline_label": f"Baseline {plain_number(baseline)}{suffix}",
        "target_label": f"Target {plain_number(target)}{suffix}",
    }
    if not shown:
        return Chart(path="", description="No measurements yet.", **chart_kwargs)

    first, last = shown[0].point.measured_at, shown[-1].point.measured_at
    seconds = max((last - first).total_seconds(), 1.0)

    def x_of(at: dt.datetime) -> float:
        if len(shown) == 1:
            return float(width - padding)
        share = (at - first).total_seconds() / seconds
        return round(padding + share * (width - 2 * padding), 1)

    coordinates = [(x_of(p.point.measured_at), y_of(p.point.value)) for p in shown]
    path = "M" + " L".join(f"{x},{y}" for x, y in coordinates)
    markers = []
    for (x, y), marked in zip(coordinates, shown, strict=True):
        when = f"{marked.point.measured_at:%d %b %Y}"
        if marked.regression:
            markers.append(Marker(x, y, "regression", f"{when}: regression — {marked.regression}"))
        if marked.model_change:
            version = marked.point.model_version
            markers.append(
                Marker(x, y, "model-change", f"{when}: model/version changed to {version}")
            )
    latest = shown[-1].point
    description = (
        f"{len(points)} measurements from {first:%d %b %Y} to {last:%d %b %Y}; latest "
        f"{plain_number(latest.value)}{suffix}, baseline {plain_number(baseline)}, target "
        f"{plain_number(target)}."
    )
    return Chart(
        path=path,
        markers=markers,
        start_label=f"{first:%d %b %Y}",
        end_label=f"{last:%d %b %Y}",
        last_x=coordinates[-1][0],
        last_y=coordinates[-1][1],
        point_count=len(points),
        description=description,
        **chart_kwargs,
    )
