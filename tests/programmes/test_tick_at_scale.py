"""A tick after everything due is written reads and writes nothing more for a larger portfolio:
its queries are the same for 20 and for 80 generated programmes."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from programmes.management.commands.run_reminders import QueryCounter
from programmes.models import Notification
from programmes.registry.jobs import run_due_jobs

pytestmark = pytest.mark.django_db


def idempotent_tick_queries() -> tuple[int, dict[str, int]]:
    now = timezone.now()
    run_due_jobs(now)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        again = run_due_jobs(now)
    return counter.count, again


def test_the_idempotent_tick_runs_the_same_queries_whatever_the_portfolio():
    call_command("load_demo", programmes=20, verbosity=0)
    small, small_again = idempotent_tick_queries()
    written_small = Notification.objects.count()
    call_command("load_demo", programmes=80, verbosity=0)
    large, large_again = idempotent_tick_queries()
    assert Notification.objects.count() > written_small
    assert set(small_again.values()) == {0}
    assert set(large_again.values()) == {0}
    assert small == large
