"""Test data factories."""

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from programmes.models import Membership, Person, Programme, Role
from programmes.selectors import LEADERSHIP_GROUP
from scorecards.models import Direction, Measurement, Metric

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    timezone = "Europe/London"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    business_unit = "Operations"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


def leadership_user(**kwargs: Any) -> Any:
    user = UserFactory(**kwargs)
    group, _ = Group.objects.get_or_create(name=LEADERSHIP_GROUP)
    user.groups.add(group)
    return user


def member(programme: Programme, role: str, **kwargs: Any) -> Any:
    """A new user with ``role`` on ``programme``."""
    user = UserFactory(**kwargs)
    MembershipFactory(programme=programme, user=user, role=role)
    return user


class MetricFactory(factory.django.DjangoModelFactory):
    """A headline metric, higher is better: baseline 70 a year ago, target 90 in a year."""

    class Meta:
        model = Metric

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Metric {n}")
    unit = "%"
    is_headline = True
    direction = Direction.HIGHER
    baseline_value = Decimal(70)
    baseline_date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=365))
    target_value = Decimal(90)
    target_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=365))
    regression_tolerance = Decimal(2)
    owner = factory.SubFactory(PersonFactory)


def measure(metric: Metric, *values: float | str, start: dt.datetime | None = None) -> None:
    """Measurements of ``metric``, one a day up to ``start`` (default: an hour ago)."""
    end = start or timezone.now() - dt.timedelta(hours=1)
    Measurement.objects.bulk_create(
        Measurement(
            metric=metric,
            value=Decimal(str(value)),
            measured_at=end - dt.timedelta(days=len(values) - 1 - index),
        )
        for index, value in enumerate(values)
    )
