"""Demo loaders: each app's ``demo.py`` marks its loader with ``@demo_loader(order=…)``;
``manage.py load_demo`` creates the programmes, people and users, then runs the loaders in order.
Each loader is idempotent and returns one line saying what it loaded."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

from programmes.models import Person

DemoLoader = Callable[..., str]


@dataclass(frozen=True)
class RegisteredLoader:
    order: int
    load: DemoLoader


_loaders: dict[str, RegisteredLoader] = {}


def demo_loader(*, order: int) -> Callable[[DemoLoader], DemoLoader]:
    """Register ``load(*, users, people) -> str``; lower orders load first."""

    def register(load: DemoLoader) -> DemoLoader:
        _loaders[f"{load.__module__}.{load.__name__}"] = RegisteredLoader(order=order, load=load)
        return load

    return register


def demo_loaders() -> list[DemoLoader]:
    autodiscover_modules("demo")
    return [entry.load for entry in sorted(_loaders.values(), key=lambda entry: entry.order)]


def load_every_app(*, users: dict[str, Any], people: dict[str, Person]) -> list[str]:
    return [load(users=users, people=people) for load in demo_loaders()]
