"""A programme's review series follows its cadence: saved with a new weekday, time or zone, its
future reviews move (past ones never do); a new programme gets its first reviews."""

from typing import Any

from django.utils import timezone

from programmes.models import ACTIVE_STAGES, Programme

from .services import plan_series


def follow_cadence(sender: Any, instance: Programme, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.stage not in ACTIVE_STAGES:
        return
    plan_series(instance, timezone.now())
