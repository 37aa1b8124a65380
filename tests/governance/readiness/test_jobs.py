"""Sign-off reminders: every two working days to each pending signer, then the sponsor; run
twice, nothing doubled; the work follows what is pending."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import ReadinessReview, SignOff
from governance.notification_kinds import SIGNOFF_PENDING
from governance.readiness_jobs import ask_for_reattestation, remind_pending_signoffs
from governance.readiness_rules import add_months, signoff_expiry, working_days_between
from programmes.models import Channel, Notification
from tests.factories import PersonFactory
from tests.governance.readiness.helpers import approve_all, make_ready, open_round, sign

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


def test_working_days_are_the_signers_own_across_the_change_of_clocks(programme):
    """A round opened Friday 00:30 in London while clocks are on summer time (Thursday 23:30
    UTC): the signer's working days are Monday and Tuesday after the clocks went back, so the
    first reminder is on Tuesday, not on Monday as UTC days would have it."""
    opened = dt.datetime(2026, 10, 22, 23, 30, tzinfo=dt.UTC)  # Fri 23 Oct 00:30 BST
    with time_machine.travel(opened, tick=False):
        users = make_ready(programme)
        programme.security_owner.timezone = "Europe/London"
        programme.security_owner.save()
        programme.delivery_lead.timezone = "UTC"
        programme.delivery_lead.save()
        open_round(programme, users["programme_owner"])
    security = programme.security_owner_id
    monday = dt.datetime(2026, 10, 26, 12, 0, tzinfo=dt.UTC)  # GMT from Sunday 25 Oct
    remind_pending_signoffs(monday)
    assert _pending(security).count() == 0
    # The delivery lead keeps UTC: Friday and Monday are two working days for them.
    assert _pending(programme.delivery_lead_id).count() == 1
    remind_pending_signoffs(monday + dt.timedelta(days=1))
    remind_pending_signoffs(monday + dt.timedelta(days=1))
    assert _pending(security).count() == 1


def test_the_reattestation_tick_reads_only_what_is_due(programme, other_programme):
    """Approvals far from lapsing with nothing changed cost the tick nothing: the same queries
    for one programme signed off as for two, and nothing written."""
    users = make_ready(programme)
    approve_all(programme, users)
    later = timezone.now() + dt.timedelta(days=90)
    with CaptureQueriesContext(connection) as one:
        assert ask_for_reattestation(later) == 0
    review = ReadinessReview.objects.create(programme=other_programme, round=1)
    now = timezone.now()
    SignOff.objects.bulk_create(
        SignOff(
            review=review,
            role=role,
            signer=PersonFactory(),
            decision="approved",
            attested_at=now,
            expires_at=signoff_expiry(now),
        )
        for role in ("delivery", "security", "risk", "product")
    )
    with CaptureQueriesContext(connection) as two:
        assert ask_for_reattestation(later) == 0
    assert len(two.captured_queries) == len(one.captured_queries)
