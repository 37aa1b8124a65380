"""Test data factories."""

from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from programmes.models import Membership, Person, Programme, Role
from programmes.selectors import LEADERSHIP_GROUP

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
