"""``manage.py run_reminders``: one tick now or as of an instant, with what each job wrote, its
time and its queries; and the lease that keeps a job from running beside itself."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from programmes.models import Channel, Notification
from programmes.notification_kinds import REGRESSION_WORK
from programmes.registry.jobs import registered_jobs, release_lease, take_lease
from programmes.tasks import run_scheduled_job
from tests.factories import PersonFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

REGRESSION_DAY_MORNING = "2026-11-03T09:30:00+00:00"


def run(*args: str) -> str:
    out = StringIO()
    call_command("run_reminders", *args, stdout=out)
    return out.getvalue()


def test_a_tick_as_of_an_instant_says_what_each_job_wrote_and_a_second_writes_nothing():
    person = PersonFactory(email="tess@example.com")
    ProgrammeFactory(technical_owner=person, regression_day=3, review_timezone="Europe/London")
    first = run("--at", REGRESSION_DAY_MORNING)
    second = run("--at", REGRESSION_DAY_MORNING)
    line = next(row for row in first.splitlines() if "remind_regression_work" in row)
    assert "2 written" in line
    assert " s " in line
    assert "queries" in line
    assert all(name in first for name, _ in registered_jobs())
    assert "total" in first.splitlines()[-1]
    assert "0 written" in next(r for r in second.splitlines() if "remind_regression_work" in r)
    assert Notification.objects.filter(kind=REGRESSION_WORK, channel=Channel.EMAIL).count() == 1


@pytest.mark.parametrize("text", ["yesterday", "2026-11-03T09:30:00", "2026-13-40T99:00:00Z"])
def test_an_instant_without_an_offset_or_not_a_date_is_refused(text):
    with pytest.raises(CommandError, match="ISO 8601"):
        run("--at", text)


def test_a_job_whose_lease_is_held_is_not_started_again_until_the_lease_runs_out():
    now = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
    assert take_lease("remind_gaps", now=now, until=now + dt.timedelta(minutes=10))
    assert not take_lease("remind_gaps", now=now + dt.timedelta(minutes=1), until=now)
    assert take_lease("remind_postmortems", now=now, until=now + dt.timedelta(minutes=10))
    assert take_lease(
        "remind_gaps", now=now + dt.timedelta(minutes=10), until=now + dt.timedelta(minutes=20)
    )
    release_lease("remind_gaps", now=now + dt.timedelta(minutes=11))
    assert take_lease("remind_gaps", now=now + dt.timedelta(minutes=11), until=now)


def test_the_job_task_skips_a_job_still_running_elsewhere(settings):
    far = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    assert take_lease("remind_gaps", now=far - dt.timedelta(days=1), until=far)
    assert run_scheduled_job.apply(args=["remind_gaps"]).get() is None
    assert run_scheduled_job.apply(args=["remind_postmortems"]).get() == 0
