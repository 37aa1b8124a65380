"""Overdue review actions go into the one daily digest of overdue actions, with the postmortem
actions: one message per person per day, whatever the number of sources."""

import datetime as dt
from typing import Any

from django.utils import timezone

from governance.models import ActionItem, Review
from incidents import jobs as incident_jobs
from incidents.models import ActionItem as PostmortemAction
from incidents.models import Postmortem
from incidents.notification_kinds import ACTIONS_OVERDUE
from programmes.models import Channel, Notification

from .conftest import open_incident


def test_one_digest_a_day_lists_review_and_postmortem_actions_together(review: Review) -> None:
    person = review.programme.technical_owner
    assert person is not None
    yesterday = timezone.now().date() - dt.timedelta(days=1)
    ActionItem.objects.create(
        programme=review.programme,
        raised_in=review,
        title="Label 200 more claims",
        owner=person,
        due_on=yesterday,
    )
    incident = open_incident(review.programme, "Routing errors")
    postmortem = Postmortem.objects.create(incident=incident, due_on=yesterday)
    PostmortemAction.objects.create(
        postmortem=postmortem, title="Add a routing alert", owner=person, due_on=yesterday
    )
    now = timezone.now()

    incident_jobs.send_overdue_action_digests(now)
    incident_jobs.send_overdue_action_digests(now + dt.timedelta(minutes=1))

    emails = Notification.objects.filter(kind=ACTIONS_OVERDUE, channel=Channel.EMAIL)
    assert emails.count() == 1
    digest: Any = emails.get()
    assert digest.recipient == person
    assert "Label 200 more claims" in digest.body
    assert "weekly review of" in digest.body
    assert "Add a routing alert" in digest.body
    assert digest.subject == "2 overdue action(s)"


def test_an_action_done_or_not_yet_due_is_not_in_the_digest(review: Review) -> None:
    person = review.programme.technical_owner
    assert person is not None
    today = timezone.now().date()
    ActionItem.objects.create(
        programme=review.programme, raised_in=review, title="Due today", owner=person, due_on=today
    )
    ActionItem.objects.create(
        programme=review.programme,
        raised_in=review,
        title="Done already",
        owner=person,
        due_on=today - dt.timedelta(days=3),
        status="done",
    )
    assert incident_jobs.send_overdue_action_digests(timezone.now()) == 0
