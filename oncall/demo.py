"""Demo rotations for the demo portfolio: a daily primary and a weekly secondary rotation, an
override, time off that leaves a gap to fill, and handoff notes, so every on-call page shows."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from programmes.models import Person, Programme, Role
from programmes.registry.demo import GeneratedPortfolio, demo_generator, demo_loader
from programmes.rules import access_for, local_time_to_utc

from . import handoffs, person_rotations, rotation_checks, selectors, services
from .models import (
    Handoff,
    Rotation,
    RotationVersion,
    ShiftKind,
    TimeOff,
)

# programme name → rotations: (name, level, kind, handoff weekday, members)
DEMO_ROTATIONS: dict[str, list[tuple[str, str, str, int, list[str]]]] = {
    "Claims triage assistant": [
        (
            "Claims primary",
            "primary",
            ShiftKind.DAILY,
            0,
            ["Priya Raman", "Jonas Weber", "Aisha Mensah"],
        ),
        ("Claims secondary", "secondary", ShiftKind.WEEKLY, 0, ["Sofia Alvarez", "Marco Bianchi"]),
    ],
    "Customer support copilot": [
        (
            "Copilot primary",
            "primary",
            ShiftKind.WEEKLY,
            1,
            ["Daniel Kim", "Oliver Grant", "Grace Liu"],
        ),
    ],
    "Contract clause extraction": [
        (
            "Clause extraction primary",
            "primary",
            ShiftKind.WEEKLY,
            0,
            ["Jonas Weber", "Priya Raman"],
        ),
    ],
}

# programme name → the outgoing notes of its rotations' latest handoff: about that programme.
NOTES = {
    "Claims triage assistant": (
        "**Quiet shift.** Nightly evaluation run passed (routing accuracy 86.4%).\n\n"
        "- Watch the claims queue after the 14:00 batch import: latency crept to 2.9 s "
        "yesterday.\n"
        "- Model `claims-gpt-2026-09` is still the one serving; the v10 canary is *off*.\n"
    ),
    "Customer support copilot": (
        "**One open incident.** Drafts quoted another customer's order yesterday; drafting is "
        "paused for the returns queue until the retrieval fix ships.\n\n"
        "- The serious-incident report is due; risk & compliance has the conversation ids.\n"
        "- Agent edit rate on drafts is steady at 31%; `support-llm-v4` is serving.\n"
    ),
    "Contract clause extraction": (
        "**Quiet shift.** The supplier-contract batch (212 documents) finished overnight.\n\n"
        "- Liability-cap clauses in scanned PDFs still need a human check.\n"
        "- Legal asked for the termination-clause recall figures before Thursday.\n"
    ),
}


@demo_loader(order=20)
def load_demo_rotations(*, users: dict[str, Any], people: dict[str, Person]) -> str:
    """Give each demo programme without rotations its demo rotations."""
    actor, staff = users["owner"], users["admin"]
    access = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
    today = timezone.localdate()
    now = timezone.now()
    created = 0
    for programme_name, specs in DEMO_ROTATIONS.items():
        programme = Programme.objects.filter(name=programme_name).first()
        if programme is None or programme.rotations.exists():
            continue
        for name, level, kind, weekday, members in specs:
            rotation = services.create_rotation(
                actor=actor,
                programme=programme,
                access=access,
                name=name,
                level=level,
                start=today - dt.timedelta(days=28),
                member_ids=[people[member].pk for member in members],
                timezone_name="Europe/London",
                shift_kind=kind,
                handoff_time=dt.time(9, 0),
                handoff_weekday=weekday,
                runbook_url="https://runbooks.example.com/" + programme.slug,
            )
            created += 1
            handoffs.prepare_handoffs(
                {rotation.pk: selectors.versions_of(rotation)},
                since=now - dt.timedelta(days=8),
                now=now,
            )
            latest = rotation.handoffs.filter(starts_at__lte=now).order_by("-starts_at").first()
            if latest is not None:
                Handoff.objects.filter(pk=latest.pk).update(
                    notes=NOTES[programme_name], notes_updated_at=now
                )
        if programme_name == "Claims triage assistant":
            secondary = programme.rotations.get(name="Claims secondary")
            services.create_override(
                actor=actor,
                rotation=secondary,
                access=access,
                person=people["Aisha Mensah"],
                start=now + dt.timedelta(days=2),
                end=now + dt.timedelta(days=3),
                reason="Sofia at the model-risk committee",
            )
            # Jonas is away for three days: his daily shifts become gaps to cover.
            services.record_time_off(
                actor=staff,
                person=people["Jonas Weber"],
                start=now + dt.timedelta(days=2),
                end=now + dt.timedelta(days=5),
                note="Conference",
            )
    return f"{created} rotation(s) loaded"


@demo_generator(order=20)
def generate_rotations(portfolio: GeneratedPortfolio) -> str:
    """A weekly primary rotation of three or four generated engineers per generated programme,
    handing over at a working-day morning in the programme's zone, begun four weeks ago."""
    rotations, versions = [], []
    for programme in portfolio.programmes:
        rng = portfolio.rng(programme, "rotation")
        weekday, at = rng.randrange(5), dt.time(rng.choice((8, 9, 10)), 0)
        zone = programme.review_timezone
        day = (portfolio.now - dt.timedelta(days=28)).astimezone(ZoneInfo(zone)).date()
        day += dt.timedelta(days=(weekday - day.weekday()) % 7)
        anchor = local_time_to_utc(day, at, zone)
        rotation = Rotation(programme=programme, name="Primary", level="primary")
        rotations.append(rotation)
        versions.append(
            RotationVersion(
                rotation=rotation,
                effective_from=anchor,
                anchor=anchor,
                timezone=zone,
                shift_kind=ShiftKind.WEEKLY,
                handoff_time=at,
                handoff_weekday=weekday,
                member_ids=[person.pk for person in portfolio.pick(rng, rng.randint(3, 4))],
            )
        )
    Rotation.objects.bulk_create(rotations, batch_size=2000)
    for version in versions:
        version.rotation_id = version.rotation.pk
    RotationVersion.objects.bulk_create(versions, batch_size=2000)
    away = _generate_time_off(portfolio)
    return f"{len(rotations)} rotation(s), {away} spell(s) of time off"


# One generated person in this many is away for a week in the coming three.
AWAY_EVERY = 20


def _generate_time_off(portfolio: GeneratedPortfolio) -> int:
    """A week off for one generated person in twenty who has none yet, so some shifts become
    gaps to cover."""
    has_some = set(
        TimeOff.objects.filter(person__in=portfolio.people).values_list("person_id", flat=True)
    )
    spells = []
    for number, person in enumerate(portfolio.people):
        if number % AWAY_EVERY or person.pk in has_some:
            continue
        start = portfolio.now + dt.timedelta(days=3 + number % 18)
        spells.append(
            TimeOff(person=person, start=start, end=start + dt.timedelta(days=7), note="Holiday")
        )
    TimeOff.objects.bulk_create(spells)
    away = {spell.person_id for spell in spells}
    # bulk_create sends no signals: the rotations that list these people are told here.
    rotation_checks.count_change(sorted(person_rotations.rotation_ids_listing(away)))
    return len(spells)
