"""Per-unit recommendations (domain-rules §6), each branch of the rule, computed in batches."""
from django.utils import timezone

from dangjian.core.scoping import get_scope
from dangjian.coverage import queries
from dangjian.coverage.models import WorkLink, WorkLinkKind
from dangjian.coverage.recommend import Action, assess_units, haversine_km, recommend_units
from dangjian.members.models import Category
from dangjian.organizations.models import Formation
from dangjian.regions.models import RegionKind
from dangjian.units.models import UnitStatus
from tests.coverage.conftest import add_region, make_org, make_unit
from tests.fixtures import add_member

HOME = (107.80, 30.67)


def at(unit, lng, lat):
    unit.lng, unit.lat = lng, lat
    unit.save()
    return unit


def rec_of(unit, user=None):
    return recommend_units([unit], user)[unit.pk]


def test_haversine_distance():
    # one degree of latitude is about 111 km
    assert round(haversine_km(107.8, 30.0, 107.8, 31.0)) == 111
    assert haversine_km(*HOME, *HOME) == 0


def test_three_formal_members_and_no_own_organisation_form_their_own(world):
    wu = world.units.wu  # already employs 周杰 (formal)
    add_member(world.orgs.ding, "吴一", wu)
    add_member(world.orgs.ding, "吴二", wu)
    rec = rec_of(wu)
    assert rec.action == Action.FORM_OWN
    assert rec.title == "单独组建党支部"
    assert "正式党员3名" in rec.reason


def test_probationary_members_do_not_count_toward_an_own_branch(world):
    wu = world.units.wu
    add_member(world.orgs.ding, "吴一", wu)
    add_member(world.orgs.ding, "吴二", wu, category=Category.PROBATIONARY)
    rec = rec_of(wu)
    assert (rec.members, rec.formal_members) == (3, 2)
    assert rec.action in (Action.JOIN_JOINT, Action.FORM_JOINT)


def test_a_jointly_covered_unit_with_three_formal_members_should_form_its_own(world):
    yi = world.units.yi  # 赵敏 + two more
    add_member(world.orgs.joint, "钱一", yi)
    add_member(world.orgs.joint, "钱二", yi)
    rec = rec_of(yi)
    assert rec.action == Action.FORM_OWN
    assert "双桂街道商贸物流联合党支部" in rec.reason


def test_own_title_follows_the_size_rules(world, local_rules):
    local_rules("[organization]\nbranch_max_members = 3\n")
    wu = world.units.wu
    for name in ("吴一", "吴二", "吴三"):
        add_member(world.orgs.ding, name, wu)
    assert rec_of(wu).title == "单独组建党总支"


def test_covered_units_need_nothing(world):
    recs = recommend_units([world.units.jia, world.units.bing])
    assert recs[world.units.jia.pk].action == Action.HAS_OWN
    assert recs[world.units.bing.pk].action == Action.COVERED
    assert not recs[world.units.bing.pk].needs_action


def test_one_or_two_members_join_the_nearest_joint_branches_within_the_radius(world):
    wu = at(world.units.wu, *HOME)  # 1 formal member, manufacturing (C)
    same_trade = at(make_unit(world.lirang, "礼让印刷厂", industry="C"), 107.81, 30.67)  # ~0.96 km
    other_trade = at(make_unit(world.lirang, "礼让超市", industry="F"), 107.805, 30.672)  # ~0.53 km
    far = at(make_unit(world.lirang, "礼让远郊厂"), 107.95, 30.67)  # ~14 km
    near_b = make_org(world.lirang, "礼让商贸联合党支部", Formation.JOINT, units=[other_trade])
    near_a = make_org(world.lirang, "礼让印刷联合党支部", Formation.JOINT, units=[same_trade])
    make_org(world.lirang, "礼让远郊联合党支部", Formation.JOINT, units=[far])
    rec = rec_of(wu)
    assert rec.action == Action.JOIN_JOINT
    assert [c.organization_id for c in rec.candidates] == [near_b.pk, near_a.pk]
    assert [c.same_industry for c in rec.candidates] == [False, True]
    assert 0.4 < rec.candidates[0].distance_km < 0.7 and 0.8 < rec.candidates[1].distance_km < 1.1
    assert "礼让商贸联合党支部" in rec.reason and "不足3名" in rec.reason


def test_candidate_count_comes_from_the_rule_set(world, local_rules):
    local_rules("[coverage]\njoint_candidate_count = 1\n")
    wu = at(world.units.wu, *HOME)
    for i in range(3):
        unit = at(make_unit(world.lirang, f"近邻{i}"), 107.801 + i * 0.001, 30.67)
        make_org(world.lirang, f"近邻联合党支部{i}", Formation.JOINT, units=[unit])
    assert len(rec_of(wu).candidates) == 1


def test_a_full_joint_branch_is_no_candidate_so_a_new_one_is_proposed(world):
    wu = at(world.units.wu, *HOME)
    full = [at(make_unit(world.lirang, f"满员单位{i}"), 107.801, 30.671) for i in range(5)]
    make_org(world.lirang, "满员联合党支部", Formation.JOINT, units=full)
    partner = at(make_unit(world.lirang, "未覆盖邻居", industry="C"), 107.802, 30.671)
    at(make_unit(world.lirang, "远处未覆盖"), 108.2, 30.9)
    rec = rec_of(wu)
    assert rec.action == Action.FORM_JOINT
    assert rec.candidates == []
    assert [p.unit_id for p in rec.partners] == [partner.pk]
    assert rec.partners[0].same_industry
    assert "未满5家单位" in rec.reason and "未覆盖邻居" in rec.reason


def test_closed_units_do_not_count_toward_a_full_joint_branch(world):
    wu = at(world.units.wu, *HOME)
    units = [at(make_unit(world.lirang, f"单位{i}"), 107.801, 30.671) for i in range(5)]
    units[0].status = UnitStatus.CLOSED
    units[0].save()
    org = make_org(world.lirang, "四家联合党支部", Formation.JOINT, units=units)
    rec = rec_of(wu)
    assert rec.action == Action.JOIN_JOINT
    assert rec.candidates[0].organization_id == org.pk and rec.candidates[0].units == 4


def test_without_coordinates_the_same_town_decides(world):
    wu = world.units.wu  # no coordinates
    same_town = make_unit(world.lirang, "礼让小厂")
    other_town = make_unit(world.shuanggui, "双桂小厂")
    here = make_org(world.lirang, "礼让联合党支部", Formation.JOINT, units=[same_town])
    make_org(world.shuanggui, "双桂联合党支部", Formation.JOINT, units=[other_town])
    rec = rec_of(wu)
    assert [c.organization_id for c in rec.candidates] == [here.pk]
    assert rec.candidates[0].distance_km is None and rec.candidates[0].same_town
    assert "同一镇街" in rec.reason


def test_no_joint_branch_and_no_partner_says_so(world):
    rec = rec_of(world.units.wu)
    assert rec.action == Action.FORM_JOINT and rec.partners == []
    assert "没有可联合的未覆盖单位" in rec.reason


def test_candidates_are_limited_to_the_users_scope(world):
    wu = at(world.units.wu, *HOME)
    across = at(make_unit(world.park, "园区近邻"), 107.801, 30.67)
    make_org(world.park, "园区联合党支部", Formation.JOINT, units=[across])
    assert rec_of(wu, world.users.district).action == Action.JOIN_JOINT
    assert rec_of(wu, world.users.lirang).action == Action.FORM_JOINT


def test_zero_members_micro_unit_in_a_village_goes_to_the_village_organisation(world):
    village = add_region(world.lirang, "礼让村", RegionKind.VILLAGE, code="500155101001")
    village_org = make_org(village, "礼让村党支部", Formation.FALLBACK)
    micro = make_unit(village, "村口小卖部", employees=5)
    rec = rec_of(micro)
    assert rec.action == Action.FALLBACK
    assert rec.fallback_organization == {"id": village_org.pk, "name": "礼让村党支部"}
    assert "礼让村党支部" in rec.reason


def test_an_enterprise_branch_in_the_village_is_not_the_village_organisation(world):
    village = add_region(world.lirang, "礼让村", RegionKind.VILLAGE, code="500155101001")
    firm = make_unit(village, "村里的厂")
    make_org(village, "村里的厂党支部", Formation.OWN, units=[firm])
    assert rec_of(make_unit(village, "村口小卖部", employees=5)).action == Action.INSTRUCTOR


def test_zero_members_larger_or_non_village_units_get_an_instructor(world):
    village = add_region(world.lirang, "礼让村", RegionKind.VILLAGE, code="500155101001")
    make_org(village, "礼让村党支部", Formation.FALLBACK)
    bigger = make_unit(village, "村里的中型厂", employees=10)
    town_micro = make_unit(world.lirang, "镇上小店", employees=3)
    recs = recommend_units([bigger, town_micro])
    assert recs[bigger.pk].action == Action.INSTRUCTOR
    assert recs[town_micro.pk].action == Action.INSTRUCTOR
    assert "选派党建指导员" in recs[bigger.pk].reason


def test_an_assigned_instructor_is_mentioned(world):
    WorkLink.objects.create(unit=world.units.geng, kind=WorkLinkKind.INSTRUCTOR, person_name="刘指导",
                            start=timezone.localdate())
    cov = assess_units([world.units.geng])[world.units.geng.pk]
    assert cov.work and not cov.covered
    assert cov.recommendation.action == Action.INSTRUCTOR
    assert "刘指导" in cov.recommendation.reason


def test_mobile_members_are_mentioned(world):
    add_member(world.orgs.ding, "流动一", world.units.wu, is_mobile=True)
    rec = rec_of(world.units.wu)
    assert rec.mobile_members == 1 and "流动党员" in rec.reason


def test_closed_units_get_no_formation_advice(world):
    assert rec_of(world.units.ji).action == Action.NOT_OPERATING


def test_unit_status_reports_flags_and_organisations(world):
    status = queries.unit_status(world.units.yi, world.users.district)
    assert (status.covered, status.own, status.work) == (True, False, True)
    assert status.organizations == [{"id": world.orgs.joint.pk, "name": "双桂街道商贸物流联合党支部", "formation": "joint"}]
    assert status.recommendation.action == Action.COVERED
    assert status.as_dict()["recommendation"]["action"] == "covered"


def test_a_page_of_recommendations_takes_a_constant_number_of_queries(world, count_queries):
    village = add_region(world.lirang, "礼让村", RegionKind.VILLAGE, code="500155101001")
    make_org(village, "礼让村党支部", Formation.FALLBACK)

    def batch(n):
        units = []
        for i in range(n):
            few = at(make_unit(world.lirang, f"少党员{n}-{i}"), 107.8 + i * 0.001, 30.67)
            add_member(world.orgs.ding, f"党员{n}-{i}", few)
            units += [few, make_unit(village, f"小店{n}-{i}", employees=4), make_unit(world.lirang, f"中厂{n}-{i}")]
        return units

    user = world.users.district
    get_scope(user)  # cached on the user, as within one request
    small, recs_small = count_queries(recommend_units, batch(1), user)
    big, recs_big = count_queries(recommend_units, batch(8), user)
    assert small == big == 8
    assert {r.action for r in recs_big.values()} == {Action.FORM_JOINT, Action.FALLBACK, Action.INSTRUCTOR}


def test_the_radius_is_measured_exactly_around_the_bounding_box(world, local_rules):
    """Branches are pre-filtered by a lat/lng window; what decides is still the haversine distance."""
    local_rules("[coverage]\njoint_candidate_count = 10\n")
    wu = at(world.units.wu, *HOME)
    lng, lat = HOME
    spots = {
        "north_inside": (lng, lat + 0.04452),  # ~4.95 km
        "north_outside": (lng, lat + 0.04587),  # ~5.10 km
        "east_inside": (lng + 0.0512, lat),  # ~4.9 km: a degree of longitude is shorter than one of latitude
        "diagonal_inside": (lng + 0.03623, lat + 0.03116),  # ~4.9 km to the north-east
        "corner_outside": (lng + 0.05, lat + 0.044),  # inside the window, ~6.8 km away
    }
    orgs = {}
    for name, (x, y) in spots.items():
        unit = at(make_unit(world.lirang, name), x, y)
        orgs[name] = make_org(world.lirang, f"{name}联合党支部", Formation.JOINT, units=[unit]).pk
    assert 4.9 < haversine_km(*HOME, *spots["north_inside"]) < 5.0 < haversine_km(*HOME, *spots["north_outside"])
    assert haversine_km(*HOME, *spots["diagonal_inside"]) < 5.0 < haversine_km(*HOME, *spots["corner_outside"])
    # a branch whose only unit has no coordinates: near when it lies in the same town
    coordless = make_org(world.lirang, "无坐标联合党支部", Formation.JOINT, units=[make_unit(world.lirang, "无坐标小厂")]).pk
    rec = rec_of(wu)
    found = {c.organization_id for c in rec.candidates}
    assert rec.action == Action.JOIN_JOINT
    assert haversine_km(*HOME, *spots["east_inside"]) < 5.0
    assert found == {orgs["east_inside"], orgs["diagonal_inside"], orgs["north_inside"], coordless}
    assert [c.organization_id for c in rec.candidates][-1] == coordless  # no distance sorts last
