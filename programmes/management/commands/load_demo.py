"""Loads a realistic demo portfolio, and with ``--programmes N`` a generated one of N more
programmes. Running it again changes nothing that is already there."""

import time
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from programmes import services
from programmes.demo import generate_portfolio
from programmes.models import Person, Programme, Role, Stage
from programmes.registry.demo import generate_every_app, load_every_app
from programmes.rules import access_for
from programmes.selectors import LEADERSHIP_GROUP

DEMO_PASSWORD = "demo"

# The most programmes one run generates: the portfolio of a very large organisation.
MAX_GENERATED = 100_000

# username → (person name, staff, in leadership)
DEMO_USERS: dict[str, tuple[str, bool, bool]] = {
    "leader": ("Helen Okafor", False, True),
    "owner": ("Marco Bianchi", False, False),
    "oncall": ("Priya Raman", False, False),
    "viewer": ("Tom Lindqvist", False, False),
    "admin": ("Keel Administrator", True, False),
}

DEMO_PEOPLE: dict[str, tuple[str, str]] = {
    # name → (email local part, time zone)
    "Helen Okafor": ("helen.okafor", "Europe/London"),
    "Marco Bianchi": ("marco.bianchi", "Europe/Rome"),
    "Priya Raman": ("priya.raman", "Europe/London"),
    "Tom Lindqvist": ("tom.lindqvist", "Europe/Stockholm"),
    "Keel Administrator": ("keel.admin", "UTC"),
    "Aisha Mensah": ("aisha.mensah", "Europe/London"),
    "Daniel Kim": ("daniel.kim", "America/New_York"),
    "Sofia Alvarez": ("sofia.alvarez", "Europe/Madrid"),
    "Jonas Weber": ("jonas.weber", "Europe/Berlin"),
    "Grace Liu": ("grace.liu", "America/New_York"),
    "Oliver Grant": ("oliver.grant", "Europe/London"),
    "Fatima Haddad": ("fatima.haddad", "Europe/Paris"),
}

DEMO_PROGRAMMES: list[dict[str, Any]] = [
    {
        "name": "Claims triage assistant",
        "business_unit": "Insurance operations",
        "summary": "Reads incoming motor claims, extracts the facts and routes each to the right "
        "handler queue with a suggested priority.",
        "owners": {
            "executive_sponsor": "Helen Okafor",
            "programme_owner": "Marco Bianchi",
            "delivery_lead": "Aisha Mensah",
            "technical_owner": "Priya Raman",
            "risk_owner": "Fatima Haddad",
            "security_owner": "Jonas Weber",
            "product_owner": "Sofia Alvarez",
            "oncall_lead": "Priya Raman",
        },
        "cost_envelope": "18000.00",
        "review_weekday": 1,
        "regression_day": 3,
        "members": {"owner": Role.OWNER, "oncall": Role.EDITOR, "viewer": Role.VIEWER},
        "path": [
            (Stage.READINESS_REVIEW, "Scorecard met its target for six weeks; asking for sign-off.")
        ],
    },
    {
        "name": "Customer support copilot",
        "business_unit": "Customer service",
        "summary": "Drafts replies for support agents from the knowledge base; agents edit them.",
        "owners": {
            "executive_sponsor": "Helen Okafor",
            "programme_owner": "Marco Bianchi",
            "delivery_lead": "Oliver Grant",
            "technical_owner": "Daniel Kim",
            "product_owner": "Grace Liu",
            "oncall_lead": "Daniel Kim",
        },
        "cost_envelope": "9500.00",
        "review_weekday": 2,
        "regression_day": 10,
        "members": {"owner": Role.OWNER, "oncall": Role.EDITOR},
        "path": [],
    },
    {
        "name": "Contract clause extraction",
        "business_unit": "Legal",
        "summary": "Finds indemnity, liability and termination clauses in supplier contracts.",
        "owners": {"programme_owner": "Marco Bianchi", "technical_owner": "Jonas Weber"},
        "cost_envelope": None,
        "review_weekday": 3,
        "regression_day": 15,
        "members": {"owner": Role.OWNER, "viewer": Role.VIEWER},
        "path": [],
    },
    {
        "name": "Fraud alert summariser",
        "business_unit": "Financial crime",
        "summary": "Summarises transaction-monitoring alerts so investigators start from a brief.",
        "owners": {
            "executive_sponsor": "Helen Okafor",
            "programme_owner": "Fatima Haddad",
            "technical_owner": "Priya Raman",
            "risk_owner": "Fatima Haddad",
            "oncall_lead": "Priya Raman",
        },
        "cost_envelope": "12000.00",
        "review_weekday": 0,
        "regression_day": 1,
        "members": {"owner": Role.OWNER, "oncall": Role.EDITOR},
        "path": [
            (
                Stage.PAUSED,
                "Summaries dropped a material fact in 3 of 200 audited alerts; paused "
                "until the evaluation golden set covers multi-account alerts.",
            ),
        ],
    },
    {
        "name": "Developer code review bot",
        "business_unit": "Engineering",
        "summary": "Comments on pull requests with likely defects and missing tests.",
        "owners": {
            "executive_sponsor": "Daniel Kim",
            "programme_owner": "Oliver Grant",
            "technical_owner": "Jonas Weber",
            "security_owner": "Jonas Weber",
            "oncall_lead": "Oliver Grant",
        },
        "cost_envelope": "4000.00",
        "review_weekday": 4,
        "regression_day": 20,
        "members": {"owner": Role.OWNER, "viewer": Role.VIEWER},
        "path": [
            (
                Stage.RESCOPED,
                "Narrowed to test-coverage comments only: defect comments were "
                "dismissed 70% of the time.",
            ),
        ],
    },
    {
        "name": "Marketing copy generator",
        "business_unit": "Marketing",
        "summary": "Generated campaign copy variants for A/B tests.",
        "owners": {"executive_sponsor": "Grace Liu", "programme_owner": "Grace Liu"},
        "cost_envelope": "2500.00",
        "review_weekday": 1,
        "regression_day": 5,
        "members": {"owner": Role.OWNER},
        "path": [
            (Stage.RETIRED, "No lift over human copy after two quarters; stop condition met."),
        ],
    },
]


class Command(BaseCommand):
    help = (
        "Load the demo portfolio and the demo users leader, owner, oncall, viewer and admin "
        "(password: demo)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--programmes",
            type=int,
            default=0,
            metavar="N",
            help="Also generate N programmes (gen-00001 … gen-N) with owners, a headline metric "
            "and its history, a rotation, incidents and past notifications, in bulk. A re-run "
            "adds only the ones missing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["programmes"]
        if not 0 <= count <= MAX_GENERATED:
            raise CommandError(f"--programmes takes a number from 0 to {MAX_GENERATED:,}.")
        self._load_demo()
        if count:
            self._generate(count)

    @transaction.atomic
    def _load_demo(self) -> None:
        people = self._people()
        users = self._users(people)
        created = 0
        for spec in DEMO_PROGRAMMES:
            if not Programme.objects.filter(name=spec["name"]).exists():
                self._programme(spec, people, users)
                created += 1
        loaded = load_every_app(users=users, people=people)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {created} programme(s) created, "
                f"{Programme.objects.count()} in all; {'; '.join(loaded)}. "
                "Log in as leader, owner, oncall or viewer "
                f"with password “{DEMO_PASSWORD}”."
            )
        )

    @transaction.atomic
    def _generate(self, count: int) -> None:
        started = time.perf_counter()
        portfolio = generate_portfolio(count, now=timezone.now())
        made = generate_every_app(portfolio)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated portfolio: {len(portfolio.programmes)} programme(s) created "
                f"({count} asked for), {len(portfolio.people)} people; {'; '.join(made)}; "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )

    def _people(self) -> dict[str, Person]:
        people = {}
        for name, (local_part, zone) in DEMO_PEOPLE.items():
            people[name], _ = Person.objects.get_or_create(
                email=f"{local_part}@example.com", defaults={"name": name, "timezone": zone}
            )
        return people

    def _users(self, people: dict[str, Person]) -> dict[str, Any]:
        user_model = get_user_model()
        leadership, _ = Group.objects.get_or_create(name=LEADERSHIP_GROUP)
        users = {}
        for username, (person_name, is_staff, in_leadership) in DEMO_USERS.items():
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model(
                    username=username,
                    email=people[person_name].email,
                    is_staff=is_staff,
                    is_superuser=is_staff,
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
            if in_leadership:
                user.groups.add(leadership)
            person = people[person_name]
            if person.user_id is None:
                person.user = user
                person.save(update_fields=["user"])
            users[username] = user
        return users

    def _programme(
        self, spec: dict[str, Any], people: dict[str, Person], users: dict[str, Any]
    ) -> None:
        owner_user = users["owner"]
        owners: dict[str, Any] = {role: people[name] for role, name in spec["owners"].items()}
        programme = services.create_programme(
            actor=owner_user,
            name=spec["name"],
            business_unit=spec["business_unit"],
            summary=spec["summary"],
            cost_envelope=spec["cost_envelope"],
            review_weekday=spec["review_weekday"],
            regression_day=spec["regression_day"],
            **owners,
        )
        for username, role in spec["members"].items():
            if username != "owner":
                services.add_member(
                    actor=owner_user, programme=programme, user=users[username], role=role
                )
        owner_access = access_for(role=Role.OWNER, is_staff=False, is_leadership=False)
        for to_stage, reason in spec["path"]:
            services.transition_programme(
                actor=owner_user,
                programme=programme,
                access=owner_access,
                to_stage=to_stage,
                reason=reason,
            )
