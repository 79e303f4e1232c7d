import datetime as dt

import pytest
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.orglife import actions
from dangjian.orglife.models import Meeting
from tests.fixtures import user_with_role


@pytest.fixture
def wang_user(world, django_user_model):
    return user_with_role(django_user_model, "wangfang", Role.MEMBER, member=world.members.wang)


@pytest.fixture
def plan(world):
    """plan(**overrides) -> a general meeting of 甲's branch starting in 30 minutes, planned by its secretary."""

    def make(org=None, **data):
        fields = {"kind": "general_meeting", "title": "第四季度党员大会", "starts_at": timezone.now() + dt.timedelta(minutes=30),
                  "place": "三楼会议室"} | data
        return actions.plan_meeting(world.users.secretary, org or world.orgs.jia, **fields)

    return make


@pytest.fixture
def started():
    """Move a meeting's start into the past (as if time had passed)."""

    def move(meeting, minutes=60):
        meeting.starts_at = timezone.now() - dt.timedelta(minutes=minutes)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=meeting.starts_at)
        return meeting

    return move


def add_formal(org, n: int, confirmed=dt.date(2020, 7, 1)) -> list:
    """``n`` more formal members of ``org``, confirmed on ``confirmed`` (formal from that day)."""
    from dangjian.members.models import Member
    from tests.fixtures import add_member

    made = [add_member(org, f"党员{i}") for i in range(n)]
    Member.objects.filter(pk__in=[m.pk for m in made]).update(confirm_date=confirmed)
    return made
