"""The demo's weekly reviews: every active programme has held reviews with minutes, one missed,
one cancelled, open and overdue actions, and a review this week whose live agenda shows
something in every section."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from governance.models import ActionItem, Review, ReviewStatus
from governance.review_jobs import plan_review_series
from programmes.models import ACTIVE_STAGES, Programme
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_every_active_demo_programme_has_a_review_history_and_a_full_agenda_this_week() -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    api = api_client_for(get_user_model().objects.get(username="leader"))
    active = Programme.objects.filter(stage__in=ACTIVE_STAGES)
    assert active.exists()
    today = timezone.now().date()
    for programme in active:
        reviews = Review.objects.filter(programme=programme)
        assert reviews.filter(status=ReviewStatus.HELD).count() == 4
        assert reviews.filter(status=ReviewStatus.MISSED).count() == 1
        assert reviews.filter(status=ReviewStatus.CANCELLED).count() == 1
        held = reviews.filter(status=ReviewStatus.HELD).first()
        assert held is not None
        assert api.get(f"/api/v1/reviews/{held.pk}/").json()["agenda_is_snapshot"] is True
        actions = ActionItem.objects.filter(programme=programme, status="open")
        assert actions.filter(due_on__lt=today).exists()
        assert actions.filter(due_on__gte=today).exists()
        this_week = reviews.filter(status=ReviewStatus.SCHEDULED).order_by("scheduled_for").first()
        assert this_week is not None
        assert this_week.scheduled_for - timezone.now() <= dt.timedelta(days=7)
        agenda = api.get(f"/api/v1/reviews/{this_week.pk}/").json()["agenda"]
        empty = [section["key"] for section in agenda["sections"] if not section["items"]]
        assert empty == [], programme.name


def test_a_generated_portfolio_has_its_review_series_planned_as_saving_a_programme_plans_it():
    call_command("load_demo", programmes=30, verbosity=0)
    now = timezone.now()
    generated = Programme.objects.filter(slug__startswith="gen-")
    active = generated.filter(stage__in=ACTIVE_STAGES)
    assert active.exists()
    for programme in active:
        ahead = Review.objects.filter(
            programme=programme, status=ReviewStatus.SCHEDULED, scheduled_for__gt=now
        )
        assert ahead.count() == 4
    assert not Review.objects.filter(programme__in=generated.exclude(stage__in=ACTIVE_STAGES))
    reviews = Review.objects.count()

    call_command("load_demo", programmes=30, verbosity=0)
    assert Review.objects.count() == reviews
    assert plan_review_series(now + dt.timedelta(minutes=1)) == 0
