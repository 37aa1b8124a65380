"""The stop-condition rule kind the weekly review adds: "N reviews missed in a row". It loads
each programme's past reviews for itself (one query for any number of programmes) and judges
them with ``review_rules.missed_in_a_row``; registered from ``GovernanceConfig.ready``."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from programmes.any_of import AnyOf

from . import review_rules
from .models import Review, ReviewStatus
from .stop_condition_rules import (
    Judgement,
    Param,
    ProgrammeData,
    Rule,
    RuleKind,
    Verdict,
    fraction,
    register_rule_kind,
)

KEY = "reviews_missed"
# The longest run a rule may ask for: a year of weekly reviews.
MOST_IN_A_ROW = 52
PAST = (ReviewStatus.HELD, ReviewStatus.MISSED, ReviewStatus.CANCELLED)


def load_past_reviews(
    programme_ids: list[int], now: dt.datetime
) -> dict[int, list[tuple[int, str, dt.datetime]]]:
    """Each programme's reviews that are over, newest first: (id, status, scheduled for), the
    latest ``MOST_IN_A_ROW`` held or missed and the cancelled ones among them."""
    ranked = (
        Review.objects.filter(
            AnyOf(F("programme_id"), programme_ids), status__in=PAST, scheduled_for__lte=now
        )
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("programme_id")],
                order_by=[F("scheduled_for").desc(), F("id").desc()],
            )
        )
        .filter(newest__lte=MOST_IN_A_ROW * 2)
        .order_by("programme_id", "-scheduled_for", "-id")
        .values_list("programme_id", "id", "status", "scheduled_for")
    )
    found: dict[int, list[tuple[int, str, dt.datetime]]] = defaultdict(list)
    for programme_id, review_id, status, scheduled_for in ranked:
        found[programme_id].append((review_id, status, scheduled_for))
    return dict(found)


def evaluate_missed(rule: Rule, data: ProgrammeData, now: dt.datetime) -> Verdict:
    needed = int(rule["reviews"])
    past = [r for r in data.extra.get(KEY, []) if r[2] <= now]
    run = review_rules.missed_in_a_row(status for _, status, _ in past)
    judged = [r for r in past if r[1] != ReviewStatus.CANCELLED]
    words = f"{run} of {needed} reviews missed in a row"
    if run >= needed:
        missed = [r for r in judged[:run]]
        facts = tuple(
            {"kind": "review", "id": review_id, "status": status, "scheduled_for": at.isoformat()}
            for review_id, status, at in reversed(missed)
        )
        return Verdict(Judgement.TRIPPING, words, Decimal(1), facts=facts, severity=Decimal(run))
    if len(judged) < needed and run == len(judged):
        return Verdict(
            Judgement.NOT_ENOUGH_DATA,
            f"{words}; only {len(judged)} review(s) have taken place or been missed so far",
            fraction(run, needed),
            severity=Decimal(run),
        )
    return Verdict(Judgement.OK, words, fraction(run, needed), severity=Decimal(run))


REVIEWS_MISSED = register_rule_kind(
    RuleKind(
        key=KEY,
        label="N weekly reviews missed in a row",
        summary="Trips when the programme's last N weekly reviews were all missed (a cancelled "
        "review neither counts nor breaks the run; a held one ends it).",
        too_little_data="Until N reviews have been held or missed it says “not enough data”, "
        "unless every one of them was missed.",
        params=(
            Param(
                "reviews", "int", "Reviews missed in a row (N)", minimum=1, maximum=MOST_IN_A_ROW
            ),
        ),
        check=lambda rule, context: {},
        describe=lambda rule, context: f"{rule['reviews']} weekly reviews missed in a row",
        evaluate=evaluate_missed,
        load=load_past_reviews,
    )
)
