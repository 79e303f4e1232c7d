"""Compliance follows the real structure: 支委会 only where a committee exists (≥7 formal members as of each
month; 党委 and 党总支 always), 党小组会 only for party groups that exist; reminders, the behind list, the
record book and the planning form use the same rule."""
import datetime as dt

import pytest
from django.db.models import Q
from django.urls import reverse

from dangjian.core.models import Notification
from dangjian.members.models import Category, Member, MemberStatus
from dangjian.organizations.models import Organization, OrgKind, OrgStatus
from dangjian.orglife import structure
from dangjian.orglife.compliance import Node, behind, rollup
from dangjian.orglife.periods import parse_period, period_of
from dangjian.orglife.recordbook import year_summary
from dangjian.orglife.tasks import missing_meetings, remind_secretaries
from tests.fixtures import add_member
from tests.orglife.conftest import add_formal
from tests.orglife.test_compliance import by_name, held

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 4)
JIA = "甲印务有限公司党支部"
DING = "丁机械有限公司党支部"


@pytest.fixture(autouse=True)
def today(pin):
    return pin(TODAY)


def report(world, key, today=TODAY):
    return rollup(world.users.district, Node("region", world.district), parse_period(key, today), today)


def test_small_branches_owe_no_committee_meeting(world):
    result = report(world, "2026")
    for row in result.rows:  # 2, 1 and 2 formal members: a secretary each, no committee
        assert "committee" not in row.figures.kinds and "committee" not in row.overdue_kinds
        assert "committee" not in row.missing_now
    assert result.total.kinds["committee"].orgs == 0
    assert behind(result.rows, "committee") == []
    assert {"general_meeting", "theme_day", "lecture"} <= set(by_name(result)[JIA].figures.kinds)


def test_committee_owed_from_the_month_the_seventh_member_is_formal(world):
    jia = world.orgs.jia
    add_formal(jia, 4)  # 6 formal
    add_formal(jia, 1, confirmed=D(2026, 10, 15))  # the 7th, confirmed mid-October
    k = by_name(report(world, "2026-Q4"))[JIA].figures.kinds["committee"]
    assert (k.due, k.overdue, k.pending) == (1, 1, 1)  # October: 6 on the 1st, not owed; November owed; December to come


def test_formal_status_counts_from_confirmation_and_only_members_on_the_register(world):
    jia = world.orgs.jia
    add_formal(jia, 4)  # 6 formal
    add_member(jia, "预备党员", category=Category.PROBATIONARY)  # not formal
    gone = add_formal(jia, 1)[0]
    Member.objects.filter(pk=gone.pk).update(status=MemberStatus.TRANSFERRED)
    no_date = add_member(jia, "无转正日期")  # formal, confirmation date not recorded: formal since joining
    Member.objects.filter(pk=no_date.pk).update(confirm_date=None, join_date=D(2026, 11, 20))
    s = structure.load(Q(organization=jia), [D(2026, 11, 1), D(2026, 12, 1)])
    assert (s.formal_on(jia.pk, D(2026, 11, 1)), s.formal_on(jia.pk, D(2026, 12, 1))) == (6, 7)
    k = by_name(report(world, "2026-Q4"))[JIA].figures.kinds["committee"]
    assert (k.due, k.pending) == (0, 1)  # owed from December only


def test_primary_committees_and_general_branches_always_owe_committee_meetings(world):
    Organization.objects.add_root(instance=Organization(name="某公司党委", kind=OrgKind.PRIMARY_COMMITTEE,
                                                              region=world.lirang))
    Organization.objects.add_root(instance=Organization(name="某公司党总支", kind=OrgKind.GENERAL_BRANCH,
                                                                  region=world.lirang))
    rows = by_name(report(world, "2026-Q4"))
    for name in ("某公司党委", "某公司党总支"):
        assert (rows[name].figures.kinds["committee"].due, rows[name].figures.kinds["committee"].pending) == (2, 1)


def test_joint_branch_with_seven_formal_members_owes_committee(world):
    add_formal(world.orgs.joint, 6)
    assert by_name(report(world, "2026-Q4"))["双桂街道商贸物流联合党支部"].figures.kinds["committee"].due == 2


def test_party_group_meetings_only_where_groups_exist(world):
    """党小组会 are owed by party groups (rule orglife.applies), never by a branch without groups."""
    rows = by_name(report(world, "2026-Q4"))
    assert all("group" not in r.figures.kinds for r in rows.values())
    Organization.objects.add_child(world.orgs.jia, dict(name="第一党小组", kind=OrgKind.PARTY_GROUP,
                                                                region=world.community))
    Organization.objects.add_child(world.orgs.jia, dict(name="第二党小组", kind=OrgKind.PARTY_GROUP,
                                                               region=world.community, status=OrgStatus.DISSOLVED))
    rows = by_name(report(world, "2026-Q4"))
    assert rows["第一党小组"].figures.kinds["group"].due == 2 and list(rows["第一党小组"].figures.kinds) == ["group"]
    assert "group" not in rows[JIA].figures.kinds and "第二党小组" not in rows


def test_reminders_follow_the_structure(world):
    day = D(2026, 12, 26)
    owed = {(org, kind) for org, _n, kind, _p in missing_meetings(day)}
    assert not {k for _o, k in owed} & {"committee"}  # no branch of the fixture has a committee
    add_formal(world.orgs.ding, 5)
    owed = {(org, kind) for org, _n, kind, _p in missing_meetings(day)}
    assert (world.orgs.ding.pk, "committee") in owed and (world.orgs.jia.pk, "committee") not in owed
    # founded this month: its month, quarter and year are excused, so no reminder at all
    Organization.objects.filter(pk=world.orgs.ding.pk).update(founded=D(2026, 12, 3))
    assert not [m for m in missing_meetings(day) if m[0] == world.orgs.ding.pk]
    remind_secretaries(day)
    assert not Notification.objects.filter(key__startswith=f"behind:{world.orgs.jia.pk}:committee").exists()
    assert Notification.objects.filter(key=f"behind:{world.orgs.jia.pk}:theme_day:2026-12").exists()


def test_record_book_summary_follows_the_structure(world):
    held(world.orgs.jia, "general_meeting", D(2026, 10, 15))
    lines = {str(line.label): line.figures for line in year_summary(world.users.secretary, world.orgs.jia, 2026, TODAY)}
    assert "支委会" not in lines and lines["支部党员大会"].held == 1 and lines["主题党日"].overdue == 11
    add_formal(world.orgs.jia, 5)
    lines = {str(line.label): line.figures for line in year_summary(world.users.secretary, world.orgs.jia, 2026, TODAY)}
    assert (lines["支委会"].overdue, lines["支委会"].pending) == (11, 1)


def test_the_planning_form_hints_what_is_still_owed(world, login):
    c = login(world.users.secretary)
    page = c.get(reverse("orglife:meeting_create") + f"?organization={world.orgs.jia.pk}").content.decode()
    assert "本期尚未召开" in page and "主题党日（2026年12月）" in page and "支委会（" not in page
    add_formal(world.orgs.jia, 5)
    held(world.orgs.jia, "theme_day", D(2026, 12, 3))
    page = c.get(reverse("orglife:meeting_create") + f"?organization={world.orgs.jia.pk}").content.decode()
    assert "支委会（2026年12月）" in page and "主题党日（" not in page
    # an organisation out of the user's scope, or nonsense, gets no hint (and no error)
    for value in (world.orgs.ding.pk, "999999", "abc"):
        r = c.get(reverse("orglife:meeting_create") + f"?organization={value}")
        assert r.status_code == 200 and "本期尚未召开" not in r.content.decode()


def test_owes_reads_the_rule_set(settings, tmp_path):
    from dangjian.core.rules import _load

    s = structure.Structure((D(2026, 12, 1),), {1: (5,)})
    month = period_of(D(2026, 12, 1), "month")
    assert not s.owes(1, "branch", "committee", month) and s.owes(1, "general_branch", "committee", month)
    assert not s.owes(1, "branch", "group", month) and s.owes(2, "party_group", "group", month)
    local = tmp_path / "local.toml"
    local.write_text("[organization]\ncommittee_required_from_members = 5\n", encoding="utf-8")
    settings.DANGJIAN_RULES_FILE = str(local)
    _load.cache_clear()
    try:
        assert s.owes(1, "branch", "committee", month) and not s.owes(2, "branch", "committee", month)
    finally:
        settings.DANGJIAN_RULES_FILE = ""
        _load.cache_clear()
