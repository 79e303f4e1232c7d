"""The grouping objective, the strong–weak pairing and matching quality on a small hand-made Chinese set."""
import random

import pytest

from dangjian.alliances import grouping, pairing
from dangjian.alliances.matching import Index, words


def towns_of(n_towns=10, per_town=16, seed=4):
    """Units in towns 8 km apart (two industries a town, strong and weak ones everywhere)."""
    rng = random.Random(seed)
    out = []
    for t in range(n_towns):
        cx, cy = (t % 5) * 8.0, (t // 5) * 8.0
        for i in range(per_town):
            out.append(grouping.Member(len(out), cx + rng.gauss(0, 0.8), cy + rng.gauss(0, 0.8), f"town{t}",
                                       "C" if i % 2 else "F", 0.8 if i % 4 == 0 else (0.2 if i % 4 == 1 else 0.5)))
    return out


def test_neighbours_stay_together_and_sizes_balance():
    members = towns_of()
    result = grouping.solve(members, 10, seed=1)
    by_group = {}
    for m, g in zip(members, result.assignment):
        by_group.setdefault(g, []).append(m)
    # Each group is (almost entirely) one town: the towns are far apart and exactly group-sized.
    same_town = sum(max(sum(m.town == t for m in ms) for t in {m.town for m in ms}) for ms in by_group.values())
    assert same_town / len(members) > 0.9
    assert result.terms["smallest"] >= 13 and result.terms["largest"] <= 19


def test_every_group_gets_a_strong_and_a_weak_unit_when_there_are_enough():
    members = towns_of()
    result = grouping.solve(members, 10, seed=1)
    assert result.terms["groups_with_strong"] == 10 and result.terms["groups_with_weak"] == 10


def test_similar_industries_come_together_when_it_costs_little():
    # One spot, two industries: nothing to trade off, so the groups come out one industry each.
    members = [grouping.Member(i, 1.0, 1.0, "t", "C" if i % 2 else "F", 0.5) for i in range(40)]
    result = grouping.solve(members, 2, seed=3)
    assert result.terms["industry"] == 0 and result.terms["smallest"] == 20


def test_the_same_seed_gives_the_same_groups_and_reasons_explain_them():
    members = towns_of()
    a, b = grouping.solve(members, 10, seed=7), grouping.solve(members, 10, seed=7)
    assert a.assignment == b.assignment
    why = grouping.reasons(grouping.Problem(members, 10), a.assignment, 0)
    mates = [m for m, g in zip(members, a.assignment) if g == a.assignment[0] and m.id != 0]
    assert why["same_town"] == sum(m.town == "town0" for m in mates) > 0
    assert why["same_industry"] == sum(m.industry == members[0].industry for m in mates)
    assert why["role"] == "strong" and why["km"] < 5


def test_bad_group_counts_are_refused():
    with pytest.raises(ValueError):
        grouping.solve(towns_of(1, 3), 5)


def side(i, lng, lat, industry="C", taken=0):
    return pairing.Side(i, lng, lat, industry, taken)


def test_pairing_gives_no_strong_organisation_more_than_two():
    strong = [side(1, 107.80, 30.60), side(2, 107.90, 30.70, taken=1)]
    weak = [side(10 + i, 107.80 + i * 0.01, 30.60, "C" if i % 2 else "F") for i in range(6)]
    pairs = pairing.propose(strong, weak)
    per = {}
    for p in pairs:
        per[p.strong_id] = per.get(p.strong_id, 0) + 1
    assert per == {1: 2, 2: 1}  # 3 places for 6 weak organisations: the nearest get them
    assert len({p.weak_id for p in pairs}) == 3


def test_pairing_prefers_the_same_industry_at_similar_distance():
    strong = [side(1, 107.80, 30.60, "C"), side(2, 107.81, 30.60, "F")]
    weak = [side(10, 107.805, 30.60, "F")]
    assert pairing.propose(strong, weak)[0].strong_id == 2


class FakeUnit:
    def __init__(self, pk, lng=107.8, lat=30.6):
        self.pk, self.lng, self.lat = pk, lng, lat


class FakeItem:
    def __init__(self, pk, kind, title, description, category, unit):
        self.pk, self.kind, self.title, self.description, self.category = pk, kind, title, description, category
        self.unit, self.unit_id = unit, unit.pk


RESOURCES = [
    ("彩色印刷与包装盒定制", "承接画册、宣传单、包装盒、不干胶标签的设计印刷，量大从优。", "services"),
    ("冷链仓储与同城配送", "拥有 2000 平方米冷库和冷藏车 12 辆，可提供生鲜冷链仓储和同城配送。", "services"),
    ("数控机床加工产能", "闲置数控车床、加工中心若干台，可承接精密零部件来料加工。", "technology"),
    ("会议室和培训场地出租", "园区内 200 人报告厅和多个会议室，可用于培训和活动。", "venue"),
    ("电商直播运营团队", "专业直播带货团队，熟悉抖音、快手平台运营，可代运营农产品网店。", "market"),
    ("普工劳务派遣", "长期合作劳务公司，可短期提供普工 50 名以上。", "talent"),
]
NEEDS = [
    ("中秋月饼礼盒包装印刷", "需要定制 5000 个月饼礼盒包装和宣传单印刷。", "products", 0),
    ("水果保鲜冷库", "柑橘采摘季需要冷库暂存和冷藏车运输到城区超市。", "services", 1),
    ("零部件外协加工", "寻找有数控加工中心的企业外协加工一批精密零件。", "technology", 2),
    ("职工培训借用场地", "计划举办 150 人安全生产培训，需要报告厅。", "venue", 3),
    ("农产品网上销售", "村里的腊肉、竹笋想通过直播带货和网店卖出去。", "market", 4),
    ("旺季临时用工", "订单旺季需要短期普工 30 名。", "talent", 5),
]


def test_the_right_resource_ranks_first_for_each_need():
    resources = [FakeItem(i, "resource", t, d, c, FakeUnit(100 + i)) for i, (t, d, c) in enumerate(RESOURCES)]
    index = Index("resource", resources)
    for n, (title, description, category, expected) in enumerate(NEEDS):
        need = FakeItem(1000 + n, "need", title, description, category, FakeUnit(999))
        found = index.match(need)
        assert found and found[0].item.pk == expected, (title, [(m.item.title, m.score) for m in found])
        assert found[0].shared or found[0].same_category  # every match says why


def test_a_unit_never_matches_itself_and_words_skip_filler():
    unit = FakeUnit(1)
    resources = [FakeItem(1, "resource", "包装印刷", "印刷包装盒", "services", unit)]
    need = FakeItem(2, "need", "需要包装印刷", "印刷包装盒", "services", unit)
    assert Index("resource", resources).match(need) == []
    assert "需要" not in words("我们需要一批包装纸箱") and "纸箱" in words("我们需要一批包装纸箱")
