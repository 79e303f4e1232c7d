"""A seeded, realistic-looking district for coverage tests and screenshots.

``grow(root, towns=…)`` adds towns under ``root`` (each with villages/communities, units with
coordinates near Liangping, own and joint branches, village organisations, members, work links,
closed and suspended units, founding dates spread over the last years so snapshots show a trend).
"""
import datetime as dt
import random

from dangjian.coverage.models import WorkLink, WorkLinkKind
from dangjian.members.models import Category
from dangjian.organizations.models import Formation, Organization, OrgKind, OrgStatus, OrgUnit
from dangjian.regions.models import Region, RegionKind
from dangjian.units.models import Unit, UnitKind, UnitStatus
from tests.fixtures import add_member, credit_code

TOWNS = ["梁山街道", "云龙镇", "屏锦镇", "袁驿镇", "新盛镇", "福禄镇", "合兴街道", "仁贤街道", "明达镇", "聚奎镇"]
VILLAGES = ["红旗", "向阳", "龙井", "桂香", "金竹", "石桥", "柏林", "和平"]
FIRMS = ["宏达", "鑫源", "恒信", "华泰", "顺丰", "金桥", "瑞丰", "天成", "永盛", "汇通", "佳禾", "嘉和", "德润", "博远"]
TRADES = [("C", "13", "食品"), ("C", "33", "机械"), ("F", "52", "商贸"), ("G", "60", "快递"), ("E", "48", "建筑"),
          ("H", "62", "餐饮"), ("I", "65", "科技"), ("O", "80", "家政")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
CENTER = (107.80, 30.67)

_counter = {"unit": 1000, "region": 0}


def _birth(rng):
    return dt.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))


def _founded(rng):
    if rng.random() < 0.15:
        return None
    return dt.date.today() - dt.timedelta(days=rng.randint(30, 1500))


def grow(root: Region, towns: int = 3, villages: int = 2, units_per_village: int = 5, seed: int = 1) -> dict:
    """Add towns under ``root``; returns counts of what was made."""
    rng = random.Random(seed)
    made = {"regions": 0, "units": 0, "orgs": 0, "members": 0}
    start = Region.objects.filter(path__startswith=root.path, depth=root.depth + 1).count()
    for t in range(towns):
        _counter["region"] += 1
        n = start + t
        town_name = TOWNS[n % len(TOWNS)] + ("" if n < len(TOWNS) else str(n // len(TOWNS) + 1))
        town = Region.objects.add_child(root, dict(
            name=town_name, kind=RegionKind.STREET if "街道" in town_name else RegionKind.TOWN,
            code=f"{root.code[:6]}{300 + _counter['region']:03d}" if root.code else "",
            lng=CENTER[0] + rng.uniform(-0.3, 0.3), lat=CENTER[1] + rng.uniform(-0.2, 0.2),
        ))
        made["regions"] += 1
        town_org = Organization.objects.add_root(instance=Organization(
            name=f"{town_name}非公企业综合党委", kind=OrgKind.PRIMARY_COMMITTEE, formation=Formation.OWN, region=town))
        made["orgs"] += 1
        joint_pool = []
        for v in range(villages):
            town = Region.objects.get(pk=town.pk)
            vname = VILLAGES[(n + v) % len(VILLAGES)] + ("社区" if v % 2 else "村")
            village = Region.objects.add_child(town, dict(
                name=vname, kind=RegionKind.COMMUNITY if v % 2 else RegionKind.VILLAGE,
                code=f"{town.code}{v + 1:03d}" if town.code else ""))
            made["regions"] += 1
            village_org = None
            if rng.random() < 0.7:
                village_org = Organization.objects.add_root(instance=Organization(
                    name=f"{vname}党总支", kind=OrgKind.GENERAL_BRANCH, formation=Formation.FALLBACK, region=village))
                made["orgs"] += 1
            for _u in range(units_per_village):
                _counter["unit"] += 1
                section, division, trade = rng.choice(TRADES)
                employees = rng.choice([3, 6, 8, 12, 25, 40, 80, 150, 320])
                status = UnitStatus.OPERATING if rng.random() > 0.1 else rng.choice([UnitStatus.CLOSED, UnitStatus.SUSPENDED])
                unit = Unit.objects.create(
                    name=f"梁平{rng.choice(FIRMS)}{trade}有限公司{_counter['unit']}", credit_code=credit_code(_counter["unit"]),
                    kind=rng.choice([UnitKind.ENTERPRISE, UnitKind.ENTERPRISE, UnitKind.SMALL_BUSINESS, UnitKind.SOCIAL_ORG]),
                    industry_section=section, industry_division=division, employees=employees, region=village,
                    lng=town.lng + rng.uniform(-0.03, 0.03), lat=town.lat + rng.uniform(-0.03, 0.03),
                    status=status, founded=_founded(rng),
                )
                made["units"] += 1
                members = 0 if employees < 10 and rng.random() < 0.7 else rng.choice([0, 1, 2, 3, 4, 6])
                org = town_org
                if members >= 3 and rng.random() < 0.75:
                    org = Organization.objects.add_child(town_org, instance=Organization(
                        name=f"{unit.name}党支部", kind=OrgKind.BRANCH, formation=Formation.OWN, region=village,
                        founded=_founded(rng), status=OrgStatus.ACTIVE if rng.random() > 0.05 else OrgStatus.DISSOLVED))
                    town_org = Organization.objects.get(pk=town_org.pk)
                    OrgUnit.objects.create(organization=org, unit=unit)
                    made["orgs"] += 1
                elif 0 < members < 3 and rng.random() < 0.6:
                    joint_pool.append(unit)
                elif members == 0 and village_org and employees < 10 and rng.random() < 0.5:
                    OrgUnit.objects.create(organization=village_org, unit=unit)
                    org = village_org
                elif rng.random() < 0.3:
                    WorkLink.objects.create(unit=unit, kind=rng.choice(WorkLinkKind.values), person_name="指导员",
                                            start=dt.date.today() - dt.timedelta(days=rng.randint(10, 900)))
                for m in range(members):
                    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                    category = Category.FORMAL if rng.random() > 0.15 else Category.PROBATIONARY
                    add_member(org if org.status == OrgStatus.ACTIVE else town_org, name, unit, category=category,
                               birth_date=_birth(rng), is_mobile=rng.random() < 0.1)
                    made["members"] += 1
        while len(joint_pool) >= 2:
            size = rng.randint(2, 4)
            group, joint_pool = joint_pool[:size], joint_pool[size:]
            joint = Organization.objects.add_child(town_org, instance=Organization(
                name=f"{town_name}{group[0].name[2:4]}等联合党支部", kind=OrgKind.JOINT_BRANCH, formation=Formation.JOINT,
                region=town, founded=_founded(rng)))
            town_org = Organization.objects.get(pk=town_org.pk)
            OrgUnit.objects.bulk_create([OrgUnit(organization=joint, unit=u) for u in group])
            made["orgs"] += 1
    return made


def build_district(seed: int = 1, **kwargs) -> Region:
    root = Region.objects.add_root(instance=Region(name="梁平区", kind=RegionKind.DISTRICT, code="500155", code_year=2023,
                                                   lng=CENTER[0], lat=CENTER[1]))
    grow(root, seed=seed, **kwargs)
    return Region.objects.get(pk=root.pk)
