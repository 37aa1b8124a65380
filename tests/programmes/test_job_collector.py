"""A job runs with Python's cycle collector paused, and the collector is back as it was after
the job, whether the job succeeded or failed."""

import datetime as dt
import gc

import pytest

from governance import services
from programmes.registry import jobs

pytestmark = pytest.mark.django_db


def test_the_collector_is_paused_during_a_job_and_back_after_it_even_when_it_fails(monkeypatch):
    seen: list[bool] = []

    def fails(now: dt.datetime) -> int:
        seen.append(gc.isenabled())
        raise RuntimeError("boom")

    # What the missed-review job calls: it fails while the job runs.
    monkeypatch.setattr(services, "mark_missed_reviews", fails)
    assert gc.isenabled()
    assert jobs.run_job("mark_missed_reviews", dt.datetime(2026, 12, 1, tzinfo=dt.UTC)) == -1
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_process_stays_off():
    gc.disable()
    try:
        with jobs.cycle_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
