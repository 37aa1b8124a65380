"""Runs one scheduler tick now, or as of a given instant, in this process, and prints what each
job wrote, how long it took and how many SQL queries it ran."""

import datetime as dt
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from programmes.registry.jobs import registered_jobs, run_job


class QueryCounter:
    """Counts the SQL statements run on the default connection while installed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 date and time with its offset (``2026-11-02T09:30:00+00:00``)."""
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise CommandError(
            f"--at takes an ISO 8601 date and time with its offset, such as "
            f"2026-11-02T09:30:00+00:00 (got “{text}”)."
        )
    return moment


class Command(BaseCommand):
    help = (
        "Run every scheduled job once, now or as of --at, and print per job what it wrote, "
        "how long it took and how many queries it ran."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--at", metavar="ISO-TIME", help="Run as of this instant instead of now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_instant(options["at"]) if options["at"] else timezone.now()
        self.stdout.write(f"Tick as of {now.isoformat()}")
        total_written = total_queries = 0
        started = time.perf_counter()
        width = max(len(name) for name, _ in registered_jobs())
        for name, _ in registered_jobs():
            counter = QueryCounter()
            job_started = time.perf_counter()
            with connection.execute_wrapper(counter):
                written = run_job(name, now)
            seconds = time.perf_counter() - job_started
            outcome = "FAILED (see the log)" if written < 0 else f"{written:>7} written"
            self.stdout.write(
                f"  {name:<{width}}  {outcome}  {seconds:8.3f} s  {counter.count:>6} queries"
            )
            total_written += max(written, 0)
            total_queries += counter.count
        self.stdout.write(
            f"  {'total':<{width}}  {total_written:>7} written  "
            f"{time.perf_counter() - started:8.3f} s  {total_queries:>6} queries"
        )
