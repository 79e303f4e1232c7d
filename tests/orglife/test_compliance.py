"""Compliance roll-ups: per organisation and kind, held vs owed, overdue, rates; by region and by scope."""
import datetime as dt

import pytest

from dangjian.orglife.compliance import Node, behind, calendar, default_node, rollup
from dangjian.orglife.models import Meeting
from dangjian.orglife.periods import parse_period
from tests.orglife.conftest import add_formal

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def today(pin):
    return pin(TODAY)


def held(org, kind, day, expected=10, present=8, made_up=1):
    return Meeting.objects.create(organization=org, kind=kind, title=kind, status="held", held_on=day,
                                  starts_at=dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.timezone.utc),
                                  signin_secret="x", expected_count=expected, present_count=present,
                                  made_up_count=made_up)


@pytest.fixture
def meetings(world):
    jia, joint = world.orgs.jia, world.orgs.joint
    add_formal(jia, 5)  # 7 formal members: 甲's branch has a committee and owes a monthly 支委会
    held(jia, "general_meeting", dt.date(2026, 10, 15))
    held(jia, "committee", dt.date(2026, 10, 8))
    held(jia, "committee", dt.date(2026, 10, 20))  # two in one month still count once
    held(joint, "theme_day", dt.date(2026, 10, 10), expected=4, present=2, made_up=2)
    held(joint, "theme_day", dt.date(2026, 11, 10), expected=4, present=4, made_up=0)
    held(jia, "theme_day", dt.date(2026, 9, 10))  # Q3: outside a Q4 report
    Meeting.objects.create(organization=jia, kind="lecture", title="planned", status="planned", signin_secret="x",
                           starts_at=dt.datetime(2026, 11, 30, 9, tzinfo=dt.timezone.utc))  # not held: never counts


def by_name(result):
    return {r.name: r for r in result.rows}


def test_per_organisation_figures_for_a_quarter(world, meetings):
    result = rollup(world.users.district, Node("region", world.district), parse_period("2026-Q4", TODAY), TODAY)
    jia = by_name(result)["甲印务有限公司党支部"]
    k = jia.figures.kinds
    assert (k["general_meeting"].due, k["general_meeting"].held, k["general_meeting"].overdue) == (1, 1, 0)
    # November's 支委会 is still to come; both theme days (10 Oct, 10 Nov) have passed without one
    assert (k["committee"].due, k["committee"].held, k["committee"].overdue, k["committee"].pending) == (1, 1, 0, 1)
    assert (k["theme_day"].due, k["theme_day"].held, k["theme_day"].overdue, k["theme_day"].pending) == (2, 0, 2, 0)
    assert (k["lecture"].due, k["lecture"].pending, k["lecture"].rate) == (0, 1, None)  # Q4 still running
    assert jia.overdue_kinds == ["theme_day"]
    assert set(jia.missing_now) >= {"committee", "theme_day", "lecture", "life_meeting", "appraisal"}
    assert (jia.figures.meetings, jia.figures.expected, jia.figures.present) == (3, 30, 24)
    joint = by_name(result)["双桂街道商贸物流联合党支部"]
    assert joint.figures.kinds["theme_day"].held == 2 and "theme_day" not in joint.overdue_kinds
    assert joint.figures.makeup_rate == pytest.approx(2 / 2)
    assert "committee" not in joint.figures.kinds  # 1 formal member: a secretary, no committee


def test_roll_up_by_child_region_and_the_behind_list(world, meetings):
    result = rollup(world.users.district, Node("region", world.district), parse_period("2026-Q4", TODAY), TODAY)
    rows = {(c.name if c else None): f for c, f in result.children}
    assert rows["双桂街道"].orgs == 2 and rows["礼让镇"].orgs == 1
    assert rows["双桂街道"].kinds["theme_day"].held == 2
    assert result.total.orgs == 3
    assert result.total.attendance_rate == pytest.approx((24 + 6) / (30 + 8))
    assert [r.name for r in behind(result.rows, "theme_day")] == ["甲印务有限公司党支部", "丁机械有限公司党支部"]
    assert "双桂街道商贸物流联合党支部" not in {r.name for r in behind(result.rows, "theme_day")}
    late = behind(result.rows)
    assert {r.name for r in late} == {"甲印务有限公司党支部", "丁机械有限公司党支部"}
    weights = [sum(k.overdue for k in r.figures.kinds.values()) for r in late]
    assert weights == sorted(weights, reverse=True)  # most overdue first


def test_year_boundary_quarterly_kind_in_a_month_report(world):
    add_formal(world.orgs.jia, 5)
    held(world.orgs.jia, "general_meeting", dt.date(2026, 1, 20))
    jan = rollup(world.users.district, Node("region", world.district), parse_period("2026-01", dt.date(2026, 2, 5)),
                 dt.date(2026, 2, 5))
    k = by_name(jan)["甲印务有限公司党支部"].figures.kinds
    assert (k["general_meeting"].due, k["general_meeting"].held) == (1, 1)  # Q1 encloses January
    assert k["committee"].overdue == 1  # January ended without one
    last_year = rollup(world.users.district, Node("region", world.district), parse_period("2025-Q4", TODAY), TODAY)
    k = by_name(last_year)["甲印务有限公司党支部"].figures.kinds
    assert k["general_meeting"].overdue == 1 and k["committee"].overdue == 3  # all of Q4 2025 ended


def test_organisations_founded_later_owe_nothing_before(world):
    from dangjian.organizations.models import Organization

    Organization.objects.filter(pk=world.orgs.ding.pk).update(founded=dt.date(2026, 11, 5))
    add_formal(world.orgs.ding, 6)
    result = rollup(world.users.district, Node("region", world.district), parse_period("2026-Q4", TODAY), TODAY)
    k = by_name(result)["丁机械有限公司党支部"].figures.kinds
    # October was before it existed; November, its founding month, is never overdue (and still running)
    assert (k["committee"].due, k["committee"].overdue, k["committee"].pending) == (0, 0, 1)
    assert (k["theme_day"].due, k["theme_day"].overdue, k["theme_day"].pending) == (0, 0, 1)


def test_scope_a_town_sees_only_its_organisations(world, meetings):
    node = default_node(world.users.lirang)
    assert node.obj == world.lirang
    result = rollup(world.users.lirang, node, parse_period("2026-Q4", TODAY), TODAY)
    assert [r.name for r in result.rows] == ["丁机械有限公司党支部"]
    # a town admin anchoring at the district still sees only its own rows
    result = rollup(world.users.lirang, Node("region", world.district), parse_period("2026-Q4", TODAY), TODAY)
    assert [r.name for r in result.rows] == ["丁机械有限公司党支部"] and result.total.meetings == 0
    assert default_node(world.users.secretary).obj == world.orgs.jia


def test_calendar_counts_meetings_per_day(world, meetings):
    days = dict(calendar(world.users.district, Node("region", world.district), parse_period("2026", TODAY)))
    assert days["2026-10-10"] == 1 and days["2026-09-10"] == 1 and sum(days.values()) == 6


@pytest.mark.parametrize("extra", [0, 20])
def test_rollup_costs_a_fixed_number_of_queries(world, django_assert_num_queries, extra):
    from dangjian.organizations.models import Organization, OrgKind

    for i in range(extra):
        org = Organization.objects.add_root(instance=Organization(name=f"支部{i}", kind=OrgKind.BRANCH, region=world.lirang))
        add_formal(org, i % 9)  # some with a committee, some without
        held(org, "committee", dt.date(2026, 11, 2))
    node = Node("region", world.district)
    # scope (stamps, roles), organisations, meeting aggregate, formal members per month, children
    with django_assert_num_queries(6):
        rollup(world.users.district, node, parse_period("2026", TODAY), TODAY)
