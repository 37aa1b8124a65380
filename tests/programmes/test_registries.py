"""The base's registries: what the apps register is what the base uses, a name registered twice
is refused, a failing job does not stop the others, production stays closed without its gate."""

import datetime as dt
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from programmes.models import JobRun, Programme, Stage
from programmes.registry import jobs, notification_kinds, stage_gates, tabs
from programmes.registry.keyed import KeyedRegistry

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

# Every kind a row may carry from before the kinds were registered by their apps (0005-0007):
# each must still be known, with its label.
KINDS_WRITTEN_BEFORE_THE_REGISTRY = {
    "regression_work": "Monthly regression work",
    "incident_opened": "Incident: you are the responder",
    "incident_escalated": "Incident not acknowledged",
    "postmortem_due": "Postmortem due",
    "actions_overdue": "Overdue actions (daily digest)",
    "report_deadline": "Serious-incident report deadline",
    "ownership_gap": "Missing named owners",
    "portfolio_digest": "Monday portfolio digest",
    "metric_regression": "Scorecard regression",
    "cost_envelope": "Cost envelope breached",
    "stale_headline": "Headline metric not measured",
    "shift_soon": "Your shift starts in an hour",
    "handoff": "Handoff now",
    "handoff_unacknowledged": "Handoff not acknowledged",
    "rotation_gap": "Nobody on call",
    "rotation_changed": "Your on-call shifts moved",
    "cover_request": "Cover requested",
    "cover_accepted": "Cover accepted",
    "delivery_failed": "A message could not be delivered",
}
# The kinds a programme's Slack channel carried before the registry (PROGRAMME_KINDS).
KINDS_FOR_THE_PROGRAMME_CHANNEL = {
    "regression_work",
    "ownership_gap",
    "metric_regression",
    "cost_envelope",
    "stale_headline",
    "handoff_unacknowledged",
    "rotation_gap",
    "cover_request",
    "incident_opened",
    "incident_escalated",
    "postmortem_due",
    "report_deadline",
    "delivery_failed",
}


def test_every_kind_written_before_the_registry_is_still_registered_with_its_label():
    # Apps added since register kinds of their own; every one from before stays, labelled.
    assert (
        KINDS_WRITTEN_BEFORE_THE_REGISTRY.items() <= dict(notification_kinds.kind_choices()).items()
    )


def test_the_programme_channel_carries_the_same_kinds_as_before():
    carried = {
        key
        for key in KINDS_WRITTEN_BEFORE_THE_REGISTRY
        if notification_kinds.may_go_to_programme_channel(key)
    }
    assert carried == KINDS_FOR_THE_PROGRAMME_CHANNEL


def test_a_kind_no_app_registers_shows_its_key_and_never_goes_to_slack():
    assert notification_kinds.kind_label("retired_kind") == "retired_kind"
    assert not notification_kinds.may_go_to_programme_channel("retired_kind")


def test_one_name_registered_twice_with_different_entries_is_refused():
    registry: KeyedRegistry[str] = KeyedRegistry("thing")
    registry.add("a", "first")
    registry.add("a", "first")
    with pytest.raises(ImproperlyConfigured, match="Two things are registered as “a”"):
        registry.add("a", "second")


def test_registering_a_kind_again_under_another_label_is_refused():
    with pytest.raises(ImproperlyConfigured):
        notification_kinds.register_kind("handoff", label="Something else", programme_channel=True)


def test_every_app_registers_its_jobs_in_order():
    names = [name for name, _ in jobs.registered_jobs()]
    assert names == [
        "requeue_stalled_notifications",
        "remind_regression_work",
        "remind_missing_owners",
        "remind_stale_headlines",
        "prepare_handoffs",
        "remind_shift_soon",
        "remind_handoff_now",
        "remind_unacknowledged_handoffs",
        "remind_gaps",
        "escalate_unacknowledged_incidents",
        "remind_postmortems",
        "send_overdue_action_digests",
        "remind_report_deadlines",
        "plan_review_series",
        "remind_weekly_reviews",
        "mark_missed_reviews",
        "evaluate_stop_conditions",
        "remind_stop_condition_revisits",
        "remind_stop_policy_revisits",
        "remind_pending_signoffs",
        "ask_for_reattestation",
        "warn_of_expiring_waivers",
        "send_portfolio_digest",
    ]


@pytest.mark.django_db
def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch, caplog):
    ran = []

    def first_job(now):
        ran.append("first")
        return 2

    def broken_job(now):
        raise RuntimeError("the job broke")

    def last_job(now):
        ran.append("last")
        return 0

    registry: KeyedRegistry[jobs.JobFunction] = KeyedRegistry("scheduled job")
    monkeypatch.setattr(jobs, "_jobs", registry)
    for job in (first_job, broken_job, last_job):
        jobs.scheduled_job(job)
    assert jobs.run_due_jobs(NOW) == {"first_job": 2, "broken_job": -1, "last_job": 0}
    assert ran == ["first", "last"]
    assert "scheduled job broken_job failed" in caplog.text
    assert not JobRun.objects.get(job="broken_job").succeeded
    assert JobRun.objects.get(job="last_job").succeeded


@pytest.mark.django_db
def test_a_job_runs_without_the_cyclic_collector_which_is_back_after_it_even_when_it_fails(
    monkeypatch,
):
    collecting = []

    def building_job(now):
        collecting.append(gc.isenabled())
        return 1

    def broken_job(now):
        collecting.append(gc.isenabled())
        raise RuntimeError("the job broke")

    registry: KeyedRegistry[jobs.JobFunction] = KeyedRegistry("scheduled job")
    monkeypatch.setattr(jobs, "_jobs", registry)
    for job in (building_job, broken_job):
        jobs.scheduled_job(job)
    assert gc.isenabled()
    assert jobs.run_due_jobs(NOW) == {"building_job": 1, "broken_job": -1}
    assert collecting == [False, False]
    assert gc.isenabled()


def test_the_programme_tabs_come_in_order_and_reverse_to_their_pages():
    registered = tabs.programme_tabs()
    assert [tab.key for tab in registered] == [
        "overview",
        "scorecard",
        "reviews",
        "oncall",
        "incidents",
        "runbooks",
        "readiness",
        "stop-conditions",
        "notifications",
        "audit",
    ]
    for tab in registered:
        assert reverse(tab.url_name, kwargs={"slug": "claims"}).startswith("/programmes/claims/")


def test_production_stays_closed_while_no_gate_is_registered(monkeypatch):
    monkeypatch.setattr(stage_gates, "_gates", {})
    refusal = stage_gates.gate_refusal(Programme(), Stage.PRODUCTION)
    assert refusal is not None
    assert "passed readiness review" in refusal
    assert stage_gates.gate_refusal(Programme(), Stage.PAUSED) is None


def test_production_opens_once_a_registered_gate_lets_the_programme_through(monkeypatch):
    monkeypatch.setattr(stage_gates, "_gates", {})
    stage_gates.register_stage_gate(
        to_stage=Stage.PRODUCTION, name="readiness", check=lambda programme: None
    )
    assert stage_gates.gate_refusal(Programme(), Stage.PRODUCTION) is None
    stage_gates.register_stage_gate(
        to_stage=Stage.PRODUCTION, name="stop-conditions", check=lambda programme: "Not yet."
    )
    assert stage_gates.gate_refusal(Programme(), Stage.PRODUCTION) == "Not yet."


# Run with the sample capability installed: every registry lists what it registered, and the
# programme page's tabs link to its page.
SAMPLE_CHECK = """
import datetime as dt
import gc
import json

import django

django.setup()
from django.db import connection
from django.template import Context, Template

from programmes.models import Programme
from programmes.registry import jobs, notification_kinds, tabs

with connection.execute_wrapper(lambda *args: (_ for _ in ()).throw(AssertionError("no SQL"))):
    tabs_html = Template("{% load programme_pages %}{% programme_tabs programme %}").render(
        Context({"programme": Programme(slug="claims")})
    )
print(json.dumps({
    "jobs": [name for name, _ in jobs.registered_jobs()],
    "job_result": dict(jobs.registered_jobs())["remind_sample"](dt.datetime.now(dt.UTC)),
    "kinds": notification_kinds.kind_choices(),
    "slack": notification_kinds.may_go_to_programme_channel("sample_nudge"),
    "tabs": [tab.key for tab in tabs.programme_tabs()],
    "tabs_html": tabs_html,
}))
"""


def test_a_capability_registers_its_job_kind_and_tab_from_its_own_app(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sample_capability.settings",
        "KEEL_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SAMPLE_CHECK],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["jobs"][-1] == "remind_sample"
    assert found["job_result"] == 0
    assert ["sample_nudge", "Sample nudge"] in found["kinds"]
    assert found["slack"] is True
    assert found["tabs"].index("sample") == found["tabs"].index("notifications") - 1
    assert '<a href="/programmes/claims/sample/">Sample</a>' in found["tabs_html"]


def test_without_the_capability_its_registrations_are_absent():
    assert "remind_sample" not in dict(jobs.registered_jobs())
    assert "sample_nudge" not in dict(notification_kinds.kind_choices())
    assert "sample" not in [tab.key for tab in tabs.programme_tabs()]
