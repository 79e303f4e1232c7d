"""Reminders: secretaries near a period's end for meetings neither held nor planned; members the day before."""
import datetime as dt

import pytest
from django.utils import timezone

from dangjian.core.models import Notification
from dangjian.orglife import actions
from dangjian.orglife.tasks import missing_meetings, remind_attendees, remind_secretaries, send_reminders
from tests.orglife.conftest import add_formal
from tests.orglife.test_compliance import held

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(pin):
    return pin(dt.date(2026, 12, 4))


def test_nothing_is_owed_early_in_a_period(world):
    assert missing_meetings(dt.date(2026, 10, 3)) == []  # month, quarter and year all far from their end


def test_secretaries_are_reminded_once_near_the_end(world):
    day = dt.date(2026, 12, 26)  # last days of the month, the quarter and the year
    add_formal(world.orgs.jia, 5)
    add_formal(world.orgs.ding, 5)  # both have a committee
    held(world.orgs.jia, "committee", dt.date(2026, 12, 2))
    owed = {(org, kind) for org, _name, kind, _p in missing_meetings(day)}
    assert (world.orgs.jia.pk, "committee") not in owed
    assert {(world.orgs.jia.pk, "theme_day"), (world.orgs.jia.pk, "general_meeting"),
            (world.orgs.jia.pk, "life_meeting"), (world.orgs.ding.pk, "committee")} <= owed
    sent = remind_secretaries(day)
    notes = Notification.objects.filter(user=world.users.secretary)
    assert sent == notes.count() > 0  # only 甲's secretary has a login among the branches
    assert all("甲印务有限公司党支部" in n.text for n in notes)
    assert notes.filter(key=f"behind:{world.orgs.jia.pk}:theme_day:2026-12").exists()
    assert remind_secretaries(day) == 0  # idempotent


def test_a_planned_meeting_counts_as_arranged(world):
    day = dt.date(2026, 12, 26)
    Meeting = actions.Meeting
    Meeting.objects.create(organization=world.orgs.jia, kind="theme_day", title="t", signin_secret="x",
                           starts_at=dt.datetime(2026, 12, 28, 9, tzinfo=dt.timezone.utc))
    owed = {(org, kind) for org, _n, kind, _p in missing_meetings(day)}
    assert (world.orgs.jia.pk, "theme_day") not in owed


def test_members_are_reminded_the_day_before(world, plan):
    m = plan(starts_at=timezone.now() + dt.timedelta(hours=20))
    actions.notify_attendees(world.users.secretary, m)
    assert remind_attendees(timezone.now()) == 1  # 张伟 has a login
    assert remind_attendees(timezone.now()) == 0
    assert Notification.objects.filter(user=world.users.member, key=f"meeting:{m.pk}:soon").exists()


def test_the_daily_task_runs(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = send_reminders.enqueue()
    assert set(result.return_value) == {"secretaries", "attendees"}
