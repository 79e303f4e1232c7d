"""Breakdowns by region (children, grouped on the path prefix in one query), industry, kind and size."""
import pytest
from django.core.exceptions import ValidationError

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.coverage import queries
from dangjian.regions.models import RegionKind
from dangjian.units.models import UnitKind
from tests.coverage.conftest import add_region, make_unit
from tests.coverage.datagen import grow
from tests.fixtures import user_with_role


def by_label(result):
    return {r.label: (r.units, r.covered, r.own, r.work) for r in result.rows}


def test_by_region_lists_the_children_of_the_users_top_region(world):
    result = queries.breakdown(world.users.district, "region")
    assert result.region.pk == world.district.pk
    assert by_label(result) == {"高新区": (1, 0, 0, 0), "双桂街道": (3, 3, 1, 3), "礼让镇": (2, 1, 1, 1)}
    assert result.total.units == 6 and result.total.covered == 4
    park = next(r for r in result.rows if r.label == "高新区")
    assert park.coverage_rate.percent == 0.0 and park.region_id == world.park.pk


def test_by_region_of_a_given_region_adds_its_directly_attached_units(world):
    result = queries.breakdown(world.users.district, "region", world.shuanggui)
    # 甲 is in 城东社区; 乙 and 丙 are attached to 双桂街道 itself.
    assert by_label(result) == {"城东社区": (1, 1, 1, 1), "双桂街道（直属）": (2, 2, 0, 2)}
    direct = next(r for r in result.rows if r.label.endswith("（直属）"))
    assert direct.region_id is None


def test_an_empty_child_region_has_missing_rates(world):
    add_region(world.lirang, "礼让村", RegionKind.VILLAGE, code="500155101001")
    row = next(r for r in queries.breakdown(world.users.district, "region", world.lirang).rows if r.label == "礼让村")
    assert row.units == 0 and row.coverage_rate.percent is None


def test_a_town_admin_gets_its_own_children(world):
    result = queries.breakdown(world.users.shuanggui, "region")
    assert result.region.pk == world.shuanggui.pk
    assert set(by_label(result)) == {"城东社区", "双桂街道（直属）"}


def test_a_user_with_several_top_regions_sees_them_side_by_side(world, django_user_model):
    user = user_with_role(django_user_model, "two_towns", Role.REGION_ADMIN, region=world.lirang)
    RoleAssignment.objects.create(user=user, role=Role.REGION_ADMIN, region=world.park)
    result = queries.breakdown(user, "region")
    assert result.region is None
    assert by_label(result) == {"高新区": (1, 0, 0, 0), "礼让镇": (2, 1, 1, 1)}


def test_region_breakdown_is_one_grouped_query_whatever_the_number_of_regions(world, count_queries):
    user = world.users.district
    queries.top_regions(user)  # scope and top region cached on the user, as within one request
    small, _ = count_queries(queries.breakdown, user, "region")
    grow(world.district, towns=4, villages=3, units_per_village=3, seed=5)
    big, result = count_queries(queries.breakdown, user, "region")
    assert small == big == 2  # the children, then one GROUP BY on the path prefix
    assert len(result.rows) == 7
    assert result.total.units == queries.summary(user).units


def test_by_industry_groups_by_gbt4754_section(world):
    make_unit(world.park, "庚二软件有限公司", industry="I")
    result = queries.breakdown(world.users.district, "industry")
    assert by_label(result) == {"制造业": (6, 4, 2, 4), "信息传输、软件和信息技术服务业": (1, 0, 0, 0)}
    assert [r.key for r in result.rows] == ["C", "I"]


def test_by_kind_lists_every_kind(world):
    make_unit(world.lirang, "礼让商会", kind=UnitKind.SOCIAL_ORG)
    rows = by_label(queries.breakdown(world.users.district, "kind"))
    assert rows["非公企业"] == (6, 4, 2, 4)
    assert rows["社会组织"] == (1, 0, 0, 0)
    assert rows["个体工商户"] == (0, 0, 0, 0)
    assert len(rows) == len(UnitKind.choices)


def test_by_size_uses_the_size_bands(world):
    make_unit(world.lirang, "礼让大厂", employees=300)
    rows = {r.key: (r.units, r.covered) for r in queries.breakdown(world.users.district, "size").rows}
    # 乙 8 staff; 丙 15, 戊 30, 庚 45; 甲 120, 丁 60; the new one 300 (己 is closed)
    assert rows == {"micro": (1, 1), "small": (3, 1), "medium": (2, 2), "large": (1, 0)}


def test_breakdown_respects_the_region_filter(world):
    rows = by_label(queries.breakdown(world.users.district, "size", world.lirang))
    assert rows["10–49人"] == (1, 0, 0, 0) and rows["50–299人"] == (1, 1, 1, 1)


def test_unknown_dimension_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        queries.breakdown(world.users.district, "colour")
    assert "colour" in str(exc.value)


def test_the_summary_and_all_four_breakdowns_come_from_one_aggregate(world, count_queries):
    user = world.users.district
    queries.top_regions(user)
    grow(world.district, towns=3, villages=2, units_per_village=4, seed=7)
    n, cube = count_queries(queries.cube, user)
    assert n == 1
    summary = cube.summary()
    for by in ("industry", "kind", "size"):
        total = cube.breakdown(by).total
        assert (total.units, total.covered, total.own, total.joint, total.work) == (
            summary.units, summary.covered, summary.own, summary.joint, summary.work), by


def test_the_aggregate_agrees_with_each_units_own_coverage_status(world):
    """The cube's flags (per-unit aggregates joined once) against the unit-by-unit status of assess_units."""
    from dangjian.coverage.recommend import assess_units
    from dangjian.units.models import Unit, UnitStatus

    grow(world.district, towns=2, villages=2, units_per_village=6, seed=3)
    user = world.users.district
    units = list(Unit.objects.scoped(user).filter(status=UnitStatus.OPERATING).values_list("pk", flat=True))
    status = assess_units(units, user).values()
    summary = queries.summary(user)
    assert summary.units == len(units)
    assert summary.covered == sum(s.covered for s in status)
    assert summary.own == sum(s.own for s in status)
    assert summary.work == sum(s.work for s in status)
    joint = sum(1 for s in status if not s.own and any(o["formation"] == "joint" for o in s.organizations))
    assert summary.joint == joint
