"""The base's scheduled jobs: regression work and missing owners, each due at its local time and
written once, and the outbox rows they leave."""

import datetime as dt

import pytest
import time_machine

from programmes.jobs import remind_missing_owners, remind_regression_work
from programmes.models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationStatus,
    Role,
    Stage,
)
from programmes.notification_kinds import REGRESSION_WORK
from programmes.registry.jobs import run_due_jobs
from tests.factories import (
    MembershipFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def fully_owned(**kwargs):
    person = PersonFactory()
    defaults = {
        "programme_owner": person,
        "technical_owner": PersonFactory(name="Tess Technical"),
        "executive_sponsor": person,
        "oncall_lead": person,
        "review_timezone": "Europe/London",
    }
    return ProgrammeFactory(**{**defaults, **kwargs})


def regression_rows():
    return Notification.objects.filter(kind=REGRESSION_WORK)


@pytest.mark.parametrize(
    ("timezone", "day", "before", "due"),
    [
        # London springs forward on 28 March 2027: 09:00 BST is 08:00 UTC.
        ("Europe/London", 28, at(2027, 3, 28, 7, 59), at(2027, 3, 28, 8, 0)),
        # London falls back on 25 October 2026: 09:00 GMT is 09:00 UTC.
        ("Europe/London", 25, at(2026, 10, 25, 8, 59), at(2026, 10, 25, 9, 0)),
        # New York springs forward on 14 March 2027: 09:00 EDT is 13:00 UTC.
        ("America/New_York", 14, at(2027, 3, 14, 12, 59), at(2027, 3, 14, 13, 0)),
        # New York falls back on 1 November 2026: 09:00 EST is 14:00 UTC.
        ("America/New_York", 1, at(2026, 11, 1, 13, 59), at(2026, 11, 1, 14, 0)),
    ],
)
def test_regression_work_is_due_at_nine_local_on_dst_change_days(timezone, day, before, due):
    fully_owned(review_timezone=timezone, regression_day=day)
    with time_machine.travel(before, tick=False):
        assert remind_regression_work(before) == 0
    with time_machine.travel(due, tick=False):
        assert remind_regression_work(due) == 2  # in-app and email
    row = regression_rows().get(channel=Channel.EMAIL)
    assert row.recipient.name == "Tess Technical"
    assert row.dedupe_key.startswith(f"regression-work:{row.programme.slug}:{due:%Y-%m}:")


def test_running_the_job_twice_writes_each_message_once():
    fully_owned(regression_day=3)
    now = at(2026, 11, 3, 10, 0)
    with time_machine.travel(now, tick=False):
        first = run_due_jobs(now)
        second = run_due_jobs(now)
    assert first["remind_regression_work"] == 2
    assert second == {name: 0 for name in second}
    assert regression_rows().count() == 2


def test_a_late_tick_still_sends_this_months_reminder_once_and_next_month_is_new():
    fully_owned(regression_day=3)
    remind_regression_work(at(2026, 11, 20, 12, 0))
    remind_regression_work(at(2026, 11, 28, 12, 0))
    assert regression_rows().count() == 2
    remind_regression_work(at(2026, 12, 3, 9, 30))
    assert regression_rows().count() == 4


def test_in_app_rows_are_delivered_when_written_and_others_queue_for_delivery():
    fully_owned(regression_day=3)
    remind_regression_work(at(2026, 11, 3, 10, 0))
    in_app = regression_rows().get(channel=Channel.IN_APP)
    email = regression_rows().get(channel=Channel.EMAIL)
    assert (in_app.status, in_app.sent_at is not None) == (NotificationStatus.SENT, True)
    assert (email.status, email.attempts) == (NotificationStatus.QUEUED, 0)


def test_delivery_is_handed_to_celery_only_after_commit(django_capture_on_commit_callbacks):
    fully_owned(regression_day=3)
    with django_capture_on_commit_callbacks() as callbacks:
        remind_regression_work(at(2026, 11, 3, 10, 0))
    assert len(callbacks) == 1  # the email; the in-app row needs no delivery


def test_paused_and_retired_programmes_get_no_regression_reminder():
    fully_owned(regression_day=3, stage=Stage.PAUSED)
    fully_owned(regression_day=3, stage=Stage.RETIRED)
    assert remind_regression_work(at(2026, 11, 3, 10, 0)) == 0


def test_switching_email_off_leaves_only_the_inbox():
    programme = fully_owned(regression_day=3)
    NotificationPreference.objects.create(
        person=programme.technical_owner,
        kind=REGRESSION_WORK,
        channel=Channel.EMAIL,
        enabled=False,
    )
    remind_regression_work(at(2026, 11, 3, 10, 0))
    assert list(regression_rows().values_list("channel", flat=True)) == [Channel.IN_APP]


def test_a_programme_with_a_webhook_also_posts_to_slack(settings):
    programme = fully_owned(regression_day=3)
    programme.slack_webhook_url = "https://hooks.slack.com/services/T0/B0/secret"
    programme.save()
    remind_regression_work(at(2026, 11, 3, 10, 0))
    assert set(regression_rows().values_list("channel", flat=True)) == {
        Channel.IN_APP,
        Channel.EMAIL,
        Channel.SLACK,
    }


def test_missing_owners_tell_the_programme_owner_once_a_week():
    owner = PersonFactory(name="Olive Owner")
    ProgrammeFactory(name="Half owned", programme_owner=owner, review_timezone="Europe/London")
    sunday = at(2026, 11, 22, 12, 0)
    monday_early = at(2026, 11, 23, 8, 59)
    monday = at(2026, 11, 23, 9, 0)
    assert remind_missing_owners(sunday) == 2  # last week's occurrence, not yet sent
    assert remind_missing_owners(monday_early) == 0
    assert remind_missing_owners(monday) == 2
    assert remind_missing_owners(at(2026, 11, 27, 9, 0)) == 0
    row = Notification.objects.filter(channel=Channel.IN_APP).latest("id")
    assert row.recipient == owner
    assert row.subject == "Half owned has no technical owner, executive sponsor, on-call lead"
    assert row.link == f"/programmes/{row.programme.slug}/edit/"


def test_without_a_programme_owner_the_sponsor_hears_and_without_both_the_owner_members():
    sponsor = PersonFactory(name="Sam Sponsor")
    ProgrammeFactory(slug="sponsored", executive_sponsor=sponsor)
    orphan = ProgrammeFactory(slug="orphan")
    member_user = UserFactory()
    member_person = PersonFactory(user=member_user)
    MembershipFactory(programme=orphan, user=member_user, role=Role.OWNER)
    remind_missing_owners(at(2026, 11, 23, 10, 0))
    recipients = {
        row.programme.slug: row.recipient
        for row in Notification.objects.filter(channel=Channel.IN_APP).select_related("programme")
    }
    assert recipients == {"sponsored": sponsor, "orphan": member_person}


def test_a_fully_owned_programme_hears_nothing_about_owners():
    fully_owned()
    assert remind_missing_owners(at(2026, 11, 23, 10, 0)) == 0
