"""Done 4: each rule kind trips, does not trip, says "not enough data", and says how far it is
from tripping in words. Pure rules on plain values."""

import datetime as dt
from decimal import Decimal

import pytest

from governance.stop_condition_rules import IncidentData, RuleRefused, clean_rule, evaluate
from tests.governance.stop_conditions.rule_data import NOW, context, headline, programme


def judge(kind, rule, data, now=NOW):
    return evaluate(kind, rule, data, now)


class TestMetricStreak:
    rule = {"threshold": "65", "count": 3}

    def test_three_in_a_row_below_the_threshold_trips_with_them_as_facts(self):
        verdict = judge("metric_streak", self.rule, programme(headline(80, 60, 61, 62)))
        assert verdict.tripping
        assert verdict.distance == "3 of 3 consecutive measurements below 65 %"
        assert [f["value"] for f in verdict.facts] == ["60", "61", "62"]

    def test_a_good_measurement_breaks_the_run(self):
        verdict = judge("metric_streak", self.rule, programme(headline(60, 61, 80, 62, 63)))
        assert verdict.judgement == "ok"
        assert verdict.distance == "2 of 3 consecutive measurements below 65 %"
        assert verdict.fraction == Decimal("0.6667")

    def test_fewer_measurements_than_the_run_is_not_enough_data(self):
        verdict = judge("metric_streak", self.rule, programme(headline(60, 61)))
        assert verdict.judgement == "not_enough_data"
        assert "it judges from 3 measurements and has 2" in verdict.distance

    def test_lower_is_better_counts_values_above(self):
        latency = headline(900, 950, 990, direction="lower", baseline=800, target=400, unit="ms")
        verdict = judge("metric_streak", {"threshold": "850", "count": 3}, programme(latency))
        assert verdict.tripping
        assert verdict.distance == "3 of 3 consecutive measurements above 850 ms"


class TestNotMeasured:
    def test_measured_long_enough_ago_trips(self):
        verdict = judge(
            "not_measured", {"days": 14}, programme(headline(80, last=NOW - dt.timedelta(days=15)))
        )
        assert verdict.tripping
        assert verdict.distance == "last measured 15 of 14 days ago"

    def test_recently_measured_is_ok_with_its_age(self):
        verdict = judge(
            "not_measured",
            {"days": 14},
            programme(headline(80, last=NOW - dt.timedelta(days=9, hours=2))),
        )
        assert verdict.judgement == "ok"
        assert verdict.distance == "last measured 9 of 14 days ago"
        assert verdict.changes_at == NOW - dt.timedelta(days=9, hours=2) + dt.timedelta(days=14)

    def test_never_measured_since_a_recent_baseline_is_not_enough_data(self):
        data = programme(headline(baseline_date=NOW.date() - dt.timedelta(days=3)))
        verdict = judge("not_measured", {"days": 14}, data)
        assert verdict.judgement == "not_enough_data"
        assert verdict.distance.startswith("not measured yet; 3 of 14 days")


class TestBudget:
    rule = {"threshold": "65", "percent": "25", "days": 28, "min_measurements": 4}

    def test_more_bad_than_the_budget_trips(self):
        verdict = judge("budget", self.rule, programme(headline(80, 60, 80, 60, 80)))
        assert verdict.tripping
        assert (
            verdict.distance
            == "40 % of 5 measurements in the last 28 days below 65 % (budget 25 %)"
        )

    def test_within_the_budget_is_ok(self):
        verdict = judge("budget", self.rule, programme(headline(80, 80, 80, 60, 80)))
        assert verdict.judgement == "ok"
        assert verdict.fraction == Decimal("0.8")

    def test_measurements_outside_the_window_do_not_count(self):
        old = headline(60, 60, 60, 80, every=dt.timedelta(days=10))
        verdict = judge("budget", self.rule, programme(old))
        assert verdict.judgement == "not_enough_data"
        assert verdict.distance.startswith("3 of the 4 measurements in 28 days")


class TestIncidents:
    rule = {"count": 2, "severity": "sev2", "days": 30}

    def incident(self, pk, severity, days_ago):
        return IncidentData(pk, f"Incident {pk}", severity, NOW - dt.timedelta(days=days_ago))

    def test_enough_serious_incidents_in_the_window_trip(self):
        incidents = (
            self.incident(1, "sev1", 3),
            self.incident(2, "sev2", 10),
            self.incident(3, "sev3", 1),
        )
        verdict = judge("incidents", self.rule, programme(incidents=incidents))
        assert verdict.tripping
        assert verdict.distance == "2 of 2 SEV2-or-worse incidents in the last 30 days"
        assert [f["id"] for f in verdict.facts] == [2, 1]

    def test_minor_and_old_incidents_do_not_count(self):
        incidents = (
            self.incident(1, "sev2", 40),
            self.incident(2, "sev3", 1),
            self.incident(3, "sev2", 2),
        )
        verdict = judge("incidents", self.rule, programme(incidents=incidents))
        assert verdict.judgement == "ok"
        assert verdict.distance == "1 of 2 SEV2-or-worse incidents in the last 30 days"

    def test_a_programme_younger_than_the_window_is_not_enough_data(self):
        verdict = judge("incidents", self.rule, programme(created_at=NOW - dt.timedelta(days=5)))
        assert verdict.judgement == "not_enough_data"
        assert "Keel has known the programme for 5 of those 30 days" in verdict.distance


class TestCost:
    def metrics(self, cost):
        return (
            headline(80),
            headline(
                cost,
                kind="cost_per_task",
                metric_id=2,
                is_headline=False,
                unit="EUR",
                baseline=1,
                target=0.5,
                direction="lower",
            ),
            headline(
                1000,
                kind="task_volume",
                metric_id=3,
                is_headline=False,
                unit="tasks",
                baseline=100,
                target=1000,
            ),
        )

    def test_projected_monthly_cost_over_the_envelope_trips(self):
        data = programme(*self.metrics(5.2), envelope=Decimal(5000))
        verdict = judge("cost", {"measure": "monthly_cost"}, data)
        assert verdict.tripping
        assert (
            verdict.distance == "projected monthly cost at 104 % of the envelope (5200 of 5000 EUR)"
        )

    def test_cost_under_the_envelope_says_how_close(self):
        data = programme(*self.metrics(4.7), envelope=Decimal(5000))
        verdict = judge("cost", {"measure": "monthly_cost"}, data)
        assert verdict.judgement == "ok"
        assert verdict.distance.startswith("projected monthly cost at 94 % of the envelope")

    def test_cost_per_task_over_a_limit(self):
        verdict = judge(
            "cost", {"measure": "cost_per_task", "limit": "4"}, programme(*self.metrics(4.5))
        )
        assert verdict.tripping
        assert verdict.distance.startswith("cost per task at 113 % of the limit 4")

    def test_no_cost_measured_is_not_enough_data(self):
        cost = headline(kind="cost_per_task", metric_id=2, is_headline=False)
        verdict = judge("cost", {"measure": "cost_per_task", "limit": "4"}, programme(cost))
        assert verdict.judgement == "not_enough_data"


class TestStateAndDate:
    rule = {"by_date": "2027-03-31", "value": "80"}

    def test_before_the_date_it_says_where_the_headline_is_and_how_much_time_is_gone(self):
        data = programme(headline(71, baseline_date=dt.date(2026, 7, 1)))
        verdict = judge("state_and_date", self.rule, data)
        assert verdict.judgement == "ok"
        assert verdict.distance == "needs 80 % by 31 Mar 2027; at 71 % and 52 % of the time gone"

    def test_not_reached_when_the_day_ends_trips(self):
        data = programme(headline(71, last=dt.datetime(2027, 3, 30, tzinfo=dt.UTC)))
        verdict = judge(
            "state_and_date", self.rule, data, now=dt.datetime(2027, 4, 1, 0, 0, tzinfo=dt.UTC)
        )
        assert verdict.tripping
        assert verdict.distance == "needs 80 % by 31 Mar 2027; at 71 % when the date passed"

    def test_reached_is_ok(self):
        data = programme(headline(82, last=dt.datetime(2027, 3, 30, tzinfo=dt.UTC)))
        verdict = judge(
            "state_and_date", self.rule, data, now=dt.datetime(2027, 4, 2, tzinfo=dt.UTC)
        )
        assert verdict.judgement == "ok"

    def test_nothing_measured_before_the_date_is_not_enough_data(self):
        verdict = judge(
            "state_and_date", {"by_date": "2027-03-31", "percent": "50"}, programme(headline())
        )
        assert verdict.judgement == "not_enough_data"
        assert verdict.distance.startswith(
            "needs 50 % of the way to the target by 31 Mar 2027; nothing measured yet"
        )

    def test_the_day_ends_at_local_midnight_across_the_change_to_summer_time(self):
        # London moves to BST on 28 March 2027: that day ends at 23:00 UTC, not midnight.
        rule = {"by_date": "2027-03-28", "value": "80"}
        data = programme(headline(71, last=dt.datetime(2027, 3, 27, tzinfo=dt.UTC)))
        before = judge(
            "state_and_date", rule, data, now=dt.datetime(2027, 3, 28, 22, 59, tzinfo=dt.UTC)
        )
        after = judge(
            "state_and_date", rule, data, now=dt.datetime(2027, 3, 28, 23, 0, tzinfo=dt.UTC)
        )
        assert not before.tripping
        assert before.changes_at == dt.datetime(2027, 3, 28, 23, 0, tzinfo=dt.UTC)
        assert after.tripping


class TestOffPace:
    def pace(self, *values, last, zone="Europe/London"):
        # 100 days from 1 January to 11 April 2027: each day is one point of expected progress.
        metric = headline(
            *values,
            last=last,
            baseline=0,
            target=100,
            baseline_date=dt.date(2027, 1, 1),
            target_date=dt.date(2027, 4, 11),
        )
        return programme(metric, zone=zone)

    def test_trailing_pace_for_n_measurements_trips(self):
        data = self.pace(50, 51, 52, last=dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC))
        verdict = judge(
            "off_pace",
            {"points": "5", "count": 3},
            data,
            now=dt.datetime(2027, 3, 2, tzinfo=dt.UTC),
        )
        assert verdict.tripping
        assert verdict.distance.startswith(
            "3 of 3 consecutive measurements more than 5 points behind pace"
        )

    def test_on_pace_is_ok(self):
        data = self.pace(60, 59, 58, last=dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC))
        verdict = judge(
            "off_pace",
            {"points": "5", "count": 3},
            data,
            now=dt.datetime(2027, 3, 2, tzinfo=dt.UTC),
        )
        assert verdict.judgement == "ok"
        assert verdict.distance == (
            "0 of 3 consecutive measurements more than 5 points behind pace (latest 1 point behind)"
        )

    def test_fewer_measurements_than_n_is_not_enough_data(self):
        data = self.pace(10, last=dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC))
        verdict = judge(
            "off_pace",
            {"points": "5", "count": 3},
            data,
            now=dt.datetime(2027, 3, 2, tzinfo=dt.UTC),
        )
        assert verdict.judgement == "not_enough_data"

    def test_expected_progress_is_read_on_the_programmes_local_day_across_the_dst_change(self):
        # 23:30 UTC on 28 March 2027 is 00:30 on the 29th in London (BST): a day more expected.
        moment = dt.datetime(2027, 3, 28, 23, 30, tzinfo=dt.UTC)
        later = dt.datetime(2027, 3, 29, 1, tzinfo=dt.UTC)
        london = judge(
            "off_pace", {"points": "10", "count": 1}, self.pace(76.5, last=moment), now=later
        )
        utc = judge(
            "off_pace",
            {"points": "10", "count": 1},
            self.pace(76.5, last=moment, zone="UTC"),
            now=later,
        )
        assert london.tripping
        assert (
            london.distance == "1 of 1 consecutive measurements more than 10 points behind pace "
            "(latest 10.5 points behind)"
        )
        assert utc.judgement == "ok"


class TestChecks:
    """Done 5's rule refusals, with their messages, before anything is saved."""

    def test_n_below_one_is_refused(self):
        with pytest.raises(RuleRefused) as refused:
            clean_rule("metric_streak", {"threshold": "65", "count": 0}, context(headline()))
        assert refused.value.errors == {"count": "Measurements in a row (N) must be at least 1."}

    def test_a_metric_of_another_programme_is_refused(self):
        with pytest.raises(RuleRefused) as refused:
            clean_rule(
                "metric_streak", {"metric": 999, "threshold": "65", "count": 3}, context(headline())
            )
        assert refused.value.errors == {
            "metric": "That metric is not one of this programme's metrics."
        }

    def test_a_threshold_on_the_better_side_of_the_baseline_is_refused(self):
        with pytest.raises(RuleRefused) as refused:
            clean_rule("metric_streak", {"threshold": "75", "count": 3}, context(headline()))
        assert "wrong side of the baseline (70)" in refused.value.errors["threshold"]

    def test_a_state_and_date_in_the_past_is_refused(self):
        with pytest.raises(RuleRefused) as refused:
            clean_rule(
                "state_and_date", {"by_date": "2026-01-01", "value": "80"}, context(headline())
            )
        assert "is not in the future" in refused.value.errors["by_date"]

    def test_an_unknown_kind_is_refused(self):
        with pytest.raises(RuleRefused) as refused:
            clean_rule("vibes", {}, context(headline()))
        assert "not a kind of rule" in refused.value.errors["kind"]
