"""The three rates of domain-rules §6: what counts in the denominator and in each numerator."""
import datetime as dt

import pytest
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.coverage import queries
from dangjian.coverage.figures import Rate
from dangjian.coverage.models import WorkLink, WorkLinkKind
from dangjian.organizations.models import Formation, OrgStatus
from dangjian.regions.models import RegionKind
from dangjian.units.models import UnitStatus
from tests.coverage.conftest import add_region, fresh, make_org, make_unit
from tests.fixtures import user_with_role


def rates(s):
    return s.coverage_rate.percent, s.own_rate.percent, s.work_rate.percent


def test_a_zero_denominator_is_missing_never_zero():
    rate = Rate(0, 0)
    assert rate.percent is None and rate.ratio is None
    assert rate.display == "—"
    assert Rate(0, 4).display == "0.00%"
    assert Rate(1, 3).as_dict() == {"numerator": 1, "denominator": 3, "percent": 33.33}


def test_no_units_in_scope_gives_missing_rates(world, django_user_model):
    empty = add_region(world.district, "明达镇", RegionKind.TOWN, code="500155120")
    user = user_with_role(django_user_model, "mingda", Role.REGION_ADMIN, region=empty)
    s = queries.summary(user)
    assert (s.units, s.covered, s.own, s.work) == (0, 0, 0, 0)
    assert rates(s) == (None, None, None)
    assert s.coverage_rate.display == "—"


def test_district_figures_state_their_inputs(world):
    s = queries.summary(world.users.district)
    # 7 units: 己 is closed and left out; 甲 and 丁 have their own branch, 乙+丙 share a joint branch.
    assert (s.units, s.closed, s.suspended) == (6, 1, 0)
    assert (s.covered, s.own, s.joint, s.fallback, s.work) == (4, 2, 2, 0, 4)
    assert s.coverage_rate.as_dict() == {"numerator": 4, "denominator": 6, "percent": 66.67}
    assert s.own_rate.inputs == "2/6"
    assert s.uncovered == 2


def test_all_covered_is_one_hundred_percent(world):
    s = queries.summary(world.users.shuanggui)
    assert (s.units, s.covered) == (3, 3)
    assert s.coverage_rate.percent == 100.0


def test_a_joint_branch_covers_each_of_its_units(world):
    extra = make_unit(world.shuanggui, "丙二物流有限公司")
    make_org(world.shuanggui, "另一联合党支部", Formation.JOINT, units=[extra, world.units.geng])
    s = queries.summary(world.users.district)
    assert (s.units, s.covered, s.joint, s.own) == (7, 6, 4, 2)


def test_closed_and_suspended_units_are_left_out_of_the_denominator(world):
    wu = world.units.wu
    wu.status = UnitStatus.SUSPENDED
    wu.save()
    s = queries.summary(world.users.district)
    assert (s.units, s.closed, s.suspended, s.covered) == (5, 1, 1, 4)
    # a covered unit that closes leaves both the numerator and the denominator
    ding = world.units.ding
    ding.status = UnitStatus.CLOSED
    ding.save()
    s = queries.summary(world.users.district)
    assert (s.units, s.covered, s.own) == (4, 3, 1)


def test_a_dissolved_organisation_covers_nothing(world):
    org = fresh(world.orgs.ding)
    org.status = OrgStatus.DISSOLVED
    org.save()
    s = queries.summary(world.users.lirang)
    assert (s.units, s.covered, s.own) == (2, 0, 0)
    assert s.coverage_rate.percent == 0.0


def test_a_fallback_organisation_covers_but_is_not_own(world):
    make_org(world.park, "高新区兜底党支部", Formation.FALLBACK, units=[world.units.geng])
    s = queries.summary(world.users.district)
    assert (s.covered, s.own, s.joint, s.fallback) == (5, 2, 2, 1)


def test_nested_regions_roll_up(world):
    # 甲 sits in 城东社区 under 双桂街道: it counts for the street and for the district.
    street = queries.summary(world.users.district, region=world.shuanggui)
    community = queries.summary(world.users.district, region=world.community)
    assert (street.units, community.units) == (3, 1)
    rows = {r.label: r for r in queries.breakdown(world.users.district, "region").rows}
    assert rows["双桂街道"].units == 3 and rows["双桂街道"].own == 1


def test_work_coverage_counts_open_work_links(world):
    today = timezone.localdate()
    WorkLink.objects.create(unit=world.units.geng, kind=WorkLinkKind.INSTRUCTOR, person_name="刘指导", start=today)
    s = queries.summary(world.users.district)
    assert (s.covered, s.work) == (4, 5)
    assert s.work_rate.inputs == "5/6"


@pytest.mark.parametrize("start_days, end_days", [(-30, -1), (1, None)])
def test_ended_or_future_work_links_do_not_count(world, start_days, end_days):
    today = timezone.localdate()
    WorkLink.objects.create(
        unit=world.units.geng, kind=WorkLinkKind.LIAISON, start=today + dt.timedelta(days=start_days),
        end=None if end_days is None else today + dt.timedelta(days=end_days),
    )
    assert queries.summary(world.users.district).work == 4


def test_a_work_link_ending_today_still_counts(world):
    today = timezone.localdate()
    WorkLink.objects.create(unit=world.units.wu, kind=WorkLinkKind.UNION, start=today - dt.timedelta(days=9), end=today)
    assert queries.summary(world.users.district).work == 5


def test_work_link_kinds_come_from_the_rule_set(world, local_rules):
    today = timezone.localdate()
    WorkLink.objects.create(unit=world.units.geng, kind=WorkLinkKind.UNION, start=today)
    assert queries.summary(world.users.district).work == 5
    local_rules('[coverage]\nwork_link_kinds = ["instructor"]\n')
    assert queries.summary(world.users.district).work == 4


def test_a_closed_unit_with_a_work_link_stays_out(world):
    WorkLink.objects.create(unit=world.units.ji, kind=WorkLinkKind.INSTRUCTOR, start=timezone.localdate())
    s = queries.summary(world.users.district)
    assert (s.units, s.work) == (6, 4)


def test_filters_narrow_the_figures(world):
    geng = world.units.geng
    geng.industry_section = "I"
    geng.save()
    assert queries.summary(world.users.district, industry="I").units == 1
    assert queries.summary(world.users.district, size="micro").units == 1  # 乙, 8 staff
    assert queries.summary(world.users.district, kind="social_org").coverage_rate.percent is None


def test_numbers_only_from_the_users_scope(world):
    lirang = queries.summary(world.users.lirang)
    assert (lirang.units, lirang.covered, lirang.closed) == (2, 1, 1)
    secretary = queries.summary(world.users.secretary)
    assert (secretary.units, secretary.covered, secretary.own) == (1, 1, 1)
    assert queries.summary(world.users.member).units == 0
