"""The risk order and a headline's status, as plain rules."""

from portfolio import rules


def facts(**given: object) -> rules.RiskFacts:
    values: dict[str, object] = {
        "status": rules.GREEN,
        "stage": "pilot",
        "open_serious_incidents": 0,
        "serious_report_owed": False,
        "oncall_gap": False,
        "over_envelope": False,
    }
    values.update(given)
    return rules.RiskFacts(**values)


def test_a_stale_or_missing_headline_is_not_reported_never_green():
    assert (
        rules.headline_status(has_headline=True, stale=True, computed="green", override="")
        == rules.NOT_REPORTED
    )
    assert (
        rules.headline_status(has_headline=False, stale=False, computed="green", override="")
        == rules.NOT_REPORTED
    )


def test_an_override_never_makes_a_programme_look_better_than_its_data():
    assert (
        rules.headline_status(has_headline=True, stale=False, computed="red", override="green")
        == "red"
    )
    assert (
        rules.headline_status(has_headline=True, stale=False, computed="green", override="amber")
        == "amber"
    )


def test_the_risk_order_puts_each_reason_in_its_documented_place():
    ordered = [
        facts(tripped_undecided=1),
        facts(stage="production", signoff_lapsed=True),
        facts(open_serious_incidents=1),
        facts(status=rules.RED),
        facts(status=rules.NOT_REPORTED),
        facts(missed_reviews=2),
        facts(oncall_gap=True),
        facts(over_envelope=True),
        facts(status=rules.AMBER),
        facts(),
    ]
    keys = [rules.risk_key(rules.risk_reasons(f), "same name") for f in ordered]
    assert keys == sorted(keys)
    assert [r.key for r in rules.risk_reasons(ordered[0])] == ["tripped"]


def test_more_reasons_sort_before_fewer_at_the_same_worst_reason():
    one = rules.risk_key(rules.risk_reasons(facts(status=rules.RED)), "a")
    two = rules.risk_key(rules.risk_reasons(facts(status=rules.RED, oncall_gap=True)), "z")
    assert two < one


def test_a_lapsed_sign_off_counts_only_in_production():
    assert rules.risk_reasons(facts(stage="pilot", signoff_lapsed=True)) == []
