"""Two deliveries of the same evaluation runs at the same moment: one set of rows, exact counts,
one regression alert. Needs PostgreSQL's row locks."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from programmes.models import Channel, Notification, Role
from programmes.rules import access_for
from scorecards import services
from scorecards.models import Measurement
from scorecards.notification_kinds import METRIC_REGRESSION
from tests.factories import MetricFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_identical_batches_at_once_record_each_run_once(programme):
    metric = MetricFactory(programme=programme)
    end = timezone.now() - dt.timedelta(hours=1)
    # 100 runs; the last is worse than the baseline, so the batch opens a regression.
    batch = [
        services.NewMeasurement(
            value=Decimal(80 if n < 99 else 60),
            measured_at=end - dt.timedelta(hours=99 - n),
            external_id=f"run-{n}",
        )
        for n in range(100)
    ]
    access = access_for(role=Role.EDITOR, is_staff=False, is_leadership=False)
    start = threading.Barrier(2)
    results: list[services.IngestResult] = []

    def deliver() -> None:
        try:
            start.wait()
            results.append(
                services.record_measurements(
                    actor=None, metric=metric, access=access, measurements=batch, source="api"
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted((r.created, r.existing) for r in results) == [(0, 100), (100, 0)]
    assert Measurement.objects.filter(metric=metric).count() == 100
    assert metric.regressions.count() == 1
    alerts = Notification.objects.filter(
        kind=METRIC_REGRESSION, recipient=metric.owner, channel=Channel.IN_APP
    )
    assert alerts.count() == 1
