import datetime as dt
from decimal import Decimal as D

import pytest

from scorecards import rules
from scorecards.charts import build_chart, thin
from scorecards.models import Direction, Rag

NOW = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("current", "baseline", "target", "expected"),
    [
        (None, D(70), D(90), D(0)),
        (D(80), D(70), D(90), D(50)),
        (D(95), D(70), D(90), D(125)),  # past the target is real, not capped
        (D(65), D(70), D(90), D(-25)),
        # Lower is better: cost from 0.10 to 0.05.
        (D("0.075"), D("0.10"), D("0.05"), D(50)),
        (D("0.12"), D("0.10"), D("0.05"), D(-40)),
    ],
)
def test_progress_by_direction_not_capped(current, baseline, target, expected):
    assert rules.progress(current, baseline=baseline, target=target) == expected


def test_expected_progress_is_a_straight_line_clamped_to_the_window():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert rules.expected_progress(dt.date(2025, 6, 1), baseline_date=start, target_date=end) == 0
    assert rules.expected_progress(dt.date(2026, 7, 2), baseline_date=start, target_date=end) == D(
        "50.0"
    )
    assert rules.expected_progress(dt.date(2027, 6, 1), baseline_date=start, target_date=end) == 100


@pytest.mark.parametrize(
    ("current", "regression_open", "progress_pct", "expected_pct", "rag"),
    [
        (D(69), False, D(-5), D(10), Rag.RED),  # worse than baseline
        (D(85), True, D(75), D(50), Rag.RED),  # an open regression
        (D(72), False, D(10), D(50), Rag.AMBER),  # 40 points behind the line
        (D(78), False, D(40), D(50), Rag.GREEN),  # 10 behind: inside the 15-point margin
        (None, False, D(0), D(10), Rag.GREEN),
    ],
)
def test_rag(current, regression_open, progress_pct, expected_pct, rag):
    assert (
        rules.compute_rag(
            current=current,
            baseline=D(70),
            direction=Direction.HIGHER,
            regression_open=regression_open,
            progress_pct=progress_pct,
            expected_pct=expected_pct,
            amber_margin=15,
        )
        == rag
    )


def test_regression_worse_than_baseline_or_than_recent_median_beyond_tolerance():
    def reason(value, previous, direction=Direction.HIGHER):
        return rules.regression_reason(
            D(value),
            [D(v) for v in previous],
            baseline=D(70),
            direction=direction,
            tolerance=D(2),
        )

    assert "baseline" in reason("69.9", ["80", "81"])
    assert "median of the previous 3" in reason("77", ["80", "81", "79"])
    assert reason("78.5", ["80", "81", "79"]) is None  # 1.5 below the median: within tolerance
    assert reason("75", []) is None
    # Lower is better: going up is worse.
    assert reason("74", ["71", "71"], direction=Direction.LOWER) is not None


def test_model_change_is_called_out_only_next_to_a_move():
    before = rules.Point(D(80), NOW, "v1")
    assert rules.model_changed(before, rules.Point(D(75), NOW, "v2"), tolerance=D(1))
    assert not rules.model_changed(before, rules.Point(D("80.5"), NOW, "v2"), tolerance=D(1))
    assert not rules.model_changed(before, rules.Point(D(70), NOW, "v1"), tolerance=D(1))


def test_target_must_be_better_than_baseline_and_later():
    def refused(direction, target, target_date=dt.date(2027, 1, 1)):
        return [
            field
            for field, _ in rules.target_refusals(
                direction=direction,
                baseline_value=D(70),
                target_value=D(target),
                baseline_date=dt.date(2026, 1, 1),
                target_date=target_date,
            )
        ]

    assert refused(Direction.HIGHER, 60) == ["target_value"]
    assert refused(Direction.HIGHER, 70) == ["target_value"]
    assert refused(Direction.LOWER, 60) == []
    assert refused(Direction.HIGHER, 90, dt.date(2025, 1, 1)) == ["target_date"]
    assert refused(Direction.HIGHER, 60, dt.date(2025, 1, 1)) == ["target_value", "target_date"]
    assert refused(Direction.HIGHER, 90) == []


def test_future_measurements_beyond_clock_skew_are_refused():
    assert rules.future_refusal(NOW + dt.timedelta(minutes=4), NOW) is None
    assert "in the future" in str(rules.future_refusal(NOW + dt.timedelta(hours=1), NOW))


def test_unit_economics_projects_cost_and_flags_a_breach():
    economics = rules.unit_economics(
        cost_per_task=D("0.12"),
        current_volume=D(40000),
        projected_volume=D(90000),
        envelope=D(9500),
    )
    assert economics.current_monthly_cost == D("4800.00")
    assert economics.projected_monthly_cost == D("10800.00")
    assert economics.breached
    assert economics.headroom == D("-1300.00")
    within = rules.unit_economics(
        cost_per_task=D("0.05"), current_volume=D(1000), projected_volume=None, envelope=D(100)
    )
    assert not within.breached


def test_stale_after_the_window():
    assert rules.is_stale(None, NOW, staleness_days=14)
    assert rules.is_stale(NOW - dt.timedelta(days=15), NOW, staleness_days=14)
    assert not rules.is_stale(NOW - dt.timedelta(days=13), NOW, staleness_days=14)


def test_chart_places_series_lines_and_markers():
    points = [
        rules.Point(D(v), NOW + dt.timedelta(days=i), version)
        for i, (v, version) in enumerate([(80, "a"), (82, "a"), (84, "a"), (60, "b")])
    ]
    marked = rules.mark_series(
        points, baseline=D(70), direction=Direction.HIGHER, tolerance=D(1), window=3
    )
    chart = build_chart(marked, baseline=D(70), target=D(90), unit="%")
    assert chart.path.startswith("M")
    assert chart.path.count("L") == 3
    # Higher values sit higher on the page: smaller y.
    assert chart.target_y < chart.baseline_y
    kinds = {marker.kind for marker in chart.markers}
    assert kinds == {"regression", "model-change"}
    assert build_chart([], baseline=D(70), target=D(90)).empty


def test_thinning_keeps_flagged_points_and_the_last():
    points = [
        rules.MarkedPoint(rules.Point(D(i), NOW, ""), "why" if i == 777 else None, False)
        for i in range(2000)
    ]
    kept = thin(points, limit=100)
    assert len(kept) <= 102
    assert points[777] in kept
    assert kept[-1] is points[-1]
