"""Demo data: each app's ``demo.py`` marks its loader with ``@demo_loader(order=…)``;
``manage.py load_demo`` creates the programmes, people and users, then runs the loaders in order.
Each loader is idempotent and returns one line saying what it loaded.

``load_demo --programmes N`` also generates a large portfolio: the base bulk-creates the
programmes and people, then every ``@demo_generator(order=…)`` bulk-creates its app's rows for
the programmes generated in that run (so a re-run adds nothing twice)."""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

from programmes.models import Person, Programme

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


# Generated portfolios ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedPortfolio:
    """What ``load_demo --programmes N`` generated in this run, for each app to add its rows to:
    the programmes created now (a re-run passes only the ones it added) and the generated people
    they draw owners, members and engineers from."""

    programmes: list[Programme]
    people: list[Person]
    now: dt.datetime

    def rng(self, programme: Programme, purpose: str) -> random.Random:
        """A random source fixed by the programme and the purpose, so a portfolio generated
        again (in another database) has the same rows."""
        return random.Random(f"{programme.slug}:{purpose}")

    def pick(self, rng: random.Random, count: int) -> list[Person]:
        return rng.sample(self.people, k=min(count, len(self.people)))


DemoGenerator = Callable[[GeneratedPortfolio], str]


@dataclass(frozen=True)
class RegisteredGenerator:
    order: int
    generate: DemoGenerator


_generators: dict[str, RegisteredGenerator] = {}


def demo_generator(*, order: int) -> Callable[[DemoGenerator], DemoGenerator]:
    """Register ``generate(portfolio) -> str``: it bulk-creates the app's rows for the generated
    programmes and says what it made. Lower orders run first."""

    def register(generate: DemoGenerator) -> DemoGenerator:
        key = f"{generate.__module__}.{generate.__name__}"
        _generators[key] = RegisteredGenerator(order=order, generate=generate)
        return generate

    return register


def demo_generators() -> list[DemoGenerator]:
    autodiscover_modules("demo")
    ordered = sorted(_generators.values(), key=lambda entry: entry.order)
    return [entry.generate for entry in ordered]


def generate_every_app(portfolio: GeneratedPortfolio) -> list[str]:
    return [generate(portfolio) for generate in demo_generators()]
