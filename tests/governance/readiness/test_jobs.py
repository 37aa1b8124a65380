"""Sign-off reminders: every two working days to each pending signer, then the sponsor; run
twice, nothing doubled; the work follows what is pending."""

import datetime as dt

import pytest
import time_machine

from governance.notification_kinds import SIGNOFF_PENDING
from governance.readiness_jobs import remind_pending_signoffs
from governance.readiness_rules import add_months, working_days_between
from programmes.models import Channel, Notification
from tests.governance.readiness.helpers import make_ready, open_round, sign

pytestmark = pytest.mark.django_db
# A Monday.
OPENED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _pending(recipient_id=None):
    rows = Notification.objects.filter(kind=SIGNOFF_PENDING, channel=Channel.IN_APP)
    return rows.filter(recipient_id=recipient_id) if recipient_id else rows


def test_pending_signers_hear_every_two_working_days_then_the_sponsor(programme):
    with time_machine.travel(OPENED, tick=False):
        users = make_ready(programme)
        review = open_round(programme, users["programme_owner"])
        delivery = next(s for s in review["signoffs"] if s["role"] == "delivery")
        sign(delivery["id"], users["delivery_lead"])
    security = programme.security_owner_id
    # Tuesday: one working day, nothing yet; Wednesday: two, the first reminder; Friday the
    # second; the third (Tuesday after the weekend) also tells the sponsor.
    for day, expected in ((3, 0), (4, 1), (5, 1), (6, 2), (9, 2), (10, 3)):
        moment = OPENED.replace(day=day)
        remind_pending_signoffs(moment)
        remind_pending_signoffs(moment)
        assert _pending(security).count() == expected, day
    assert _pending(programme.delivery_lead_id).count() == 0
    sponsor = _pending(programme.executive_sponsor_id)
    assert sponsor.count() == 3  # security, risk and product are still pending
    assert "after 2 reminders" in sponsor.first().body


def test_working_days_skip_the_weekend_and_months_keep_their_day():
    friday, monday = dt.date(2026, 11, 6), dt.date(2026, 11, 9)
    assert working_days_between(friday, monday) == 1
    assert working_days_between(friday, friday + dt.timedelta(days=14)) == 10
    assert add_months(dt.datetime(2026, 1, 31, tzinfo=dt.UTC), 1) == dt.datetime(
        2026, 2, 28, tzinfo=dt.UTC
    )
    assert add_months(dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), 12).year == 2027


def test_the_job_reads_a_fixed_number_of_queries_for_many_pending_sign_offs(
    programme, other_programme, django_assert_max_num_queries
):
    with time_machine.travel(OPENED, tick=False):
        users = make_ready(programme)
        open_round(programme, users["programme_owner"])
    moment = OPENED.replace(day=4)
    with django_assert_max_num_queries(60) as first:
        remind_pending_signoffs(moment)
    # Every reminder is written already: the second run only reads.
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert remind_pending_signoffs(moment) == 0
