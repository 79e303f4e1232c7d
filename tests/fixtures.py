"""A small, fully valid district used across the suite.

梁平区 ─ 双桂街道 ─ 城东社区
       ├ 礼让镇
       └ 高新区 (park)
Units: 双桂: 甲 (own branch, 3 formal), 乙+丙 (one joint branch); 礼让: 丁 (own branch), 戊 (2 members,
uncovered), 己 (closed); 高新区: 庚 (0 members, uncovered).
"""
import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.contrib.auth.models import Permission

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.validators import make_citizen_id, make_credit_code
from dangjian.members.models import Category, Member
from dangjian.organizations.models import Formation, Organization, OrgKind, OrgUnit
from dangjian.regions.models import Region, RegionKind
from dangjian.units.models import Unit, UnitKind, UnitStatus

PASSWORD = "Test-pass-2026!"
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
_seq = iter(range(1, 10_000))


def credit_code(n: int) -> str:
    return make_credit_code("9", "1", "500155", f"{n:08d}")


def liangping_area(year: int) -> str:
    """Liangping's area code as it stood in a birth year (IDs carry the code valid at birth)."""
    return "512224" if year < 1992 else "511223" if year < 1997 else "500228" if year < 2016 else "500155"


def citizen_id(birth=dt.date(1990, 5, 17), male=True) -> str:
    n = next(_seq) * 2 % 1000
    return make_citizen_id(liangping_area(birth.year), birth, n + 1 if male else n)


def add_member(org, name, unit=None, category=Category.FORMAL, male=True, **extra) -> Member:
    birth = extra.pop("birth_date", dt.date(1990, 5, 17))
    member = Member(
        name=name, gender="M" if male else "F", birth_date=birth, organization=org, employer=unit,
        category=category, join_date=dt.date(2015, 7, 1),
        confirm_date=dt.date(2016, 7, 1) if category == Category.FORMAL else None, **extra,
    )
    member.set_id_number(citizen_id(birth, male))
    member.set_phone(f"1380000{next(_seq):04d}")
    member.save()
    return member


def user_with_role(django_user_model, username, role, unmask=False, **anchor):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    RoleAssignment.objects.create(user=user, role=role, **anchor)
    if unmask:
        user.user_permissions.add(Permission.objects.get(codename="unmask_pii"))
    return user


@pytest.fixture
def world(db, django_user_model):
    return build_world(django_user_model)


def build_world(django_user_model):
    """The world fixture's data, callable where a fixture can't be (e.g. data built once per module)."""
    district = Region.objects.add_root(instance=Region(name="梁平区", kind=RegionKind.DISTRICT, code="500155", code_year=2023))
    shuanggui = Region.objects.add_child(district, dict(name="双桂街道", kind=RegionKind.STREET, code="500155001", code_year=2023))
    community = Region.objects.add_child(shuanggui, dict(name="城东社区", kind=RegionKind.COMMUNITY, code="500155001001", code_year=2023))
    lirang = Region.objects.add_child(district, dict(name="礼让镇", kind=RegionKind.TOWN, code="500155101", code_year=2023))
    park = Region.objects.add_child(district, dict(name="高新区", kind=RegionKind.PARK))
    for region in (district, shuanggui, community, lirang):  # sorted inserts shift siblings' paths
        region.refresh_from_db()

    def unit(n, name, region, employees=20, **kw):
        return Unit.objects.create(
            name=name, credit_code=credit_code(n), kind=kw.pop("kind", UnitKind.ENTERPRISE),
            industry_section="C", industry_division="23", employees=employees, region=region, **kw,
        )

    jia = unit(1, "甲印务有限公司", community, employees=120)
    yi = unit(2, "乙商贸有限公司", shuanggui, employees=8)
    bing = unit(3, "丙物流有限公司", shuanggui, employees=15)
    ding = unit(4, "丁机械有限公司", lirang, employees=60)
    wu = unit(5, "戊食品有限公司", lirang, employees=30)
    ji = unit(6, "己建材有限公司", lirang, status=UnitStatus.CLOSED)
    geng = unit(7, "庚科技有限公司", park, employees=45)

    org_jia = Organization.objects.add_root(instance=Organization(name="甲印务有限公司党支部", kind=OrgKind.BRANCH, formation=Formation.OWN,
                                    region=community, founded=dt.date(2018, 3, 1)))
    org_joint = Organization.objects.add_root(instance=Organization(name="双桂街道商贸物流联合党支部", kind=OrgKind.JOINT_BRANCH,
                                      formation=Formation.JOINT, region=shuanggui, founded=dt.date(2019, 6, 1)))
    org_ding = Organization.objects.add_root(instance=Organization(name="丁机械有限公司党支部", kind=OrgKind.BRANCH, formation=Formation.OWN,
                                     region=lirang, founded=dt.date(2020, 1, 1)))
    OrgUnit.objects.bulk_create([
        OrgUnit(organization=org_jia, unit=jia), OrgUnit(organization=org_joint, unit=yi),
        OrgUnit(organization=org_joint, unit=bing), OrgUnit(organization=org_ding, unit=ding),
    ])
    members = {
        "zhang": add_member(org_jia, "张伟", jia),
        "wang": add_member(org_jia, "王芳", jia, male=False),
        "li": add_member(org_jia, "李强", jia, category=Category.PROBATIONARY),
        "zhao": add_member(org_joint, "赵敏", yi, male=False),
        "sun": add_member(org_ding, "孙磊", ding),
        "zhou": add_member(org_ding, "周杰", wu),  # works at 戊 (uncovered), belongs to 丁's branch
    }
    users = SimpleNamespace(
        district=user_with_role(django_user_model, "qu", Role.DISTRICT_ADMIN, unmask=True, region=district),
        shuanggui=user_with_role(django_user_model, "shuanggui", Role.REGION_ADMIN, region=shuanggui),
        lirang=user_with_role(django_user_model, "lirang", Role.REGION_ADMIN, region=lirang),
        secretary=user_with_role(django_user_model, "shuji", Role.SECRETARY, unmask=True, organization=org_jia),
        member=user_with_role(django_user_model, "dangyuan", Role.MEMBER, member=members["zhang"]),
        instructor=user_with_role(django_user_model, "zhidao", Role.INSTRUCTOR, region=park),
    )
    return SimpleNamespace(
        district=district, shuanggui=shuanggui, community=community, lirang=lirang, park=park,
        units=SimpleNamespace(jia=jia, yi=yi, bing=bing, ding=ding, wu=wu, ji=ji, geng=geng),
        orgs=SimpleNamespace(jia=org_jia, joint=org_joint, ding=org_ding),
        members=SimpleNamespace(**members), users=users, password=PASSWORD,
    )


@pytest.fixture
def login():
    """login(user) -> a test Client with that user's session (CSRF not enforced unless asked)."""

    def make(user, enforce_csrf_checks=False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        if user is not None:
            client.force_login(user, backend=LOGIN_BACKEND)
        return client

    return make


@pytest.fixture
def lookup_limit(settings, tmp_path):
    """lookup_limit(n, minutes=10): the rule set's ID number look-up allowance (members.id_lookup) for this test."""
    from dangjian.core import rules

    def set_limit(limit: int, minutes: int = 10):
        path = tmp_path / "id_lookup_rules.toml"
        path.write_text(f"[members.id_lookup]\nlimit = {limit}\nwindow_minutes = {minutes}\n", encoding="utf-8")
        settings.DANGJIAN_RULES_FILE = str(path)
        rules._load.cache_clear()

    yield set_limit
    rules._load.cache_clear()


def serve(user, *units, kind="instructor"):
    """Make ``user`` an officer of ``kind`` assigned to ``units`` from today: officers and instructors read their
    assigned units, those units' organisations and those organisations' members as a roster (accounts.reads)."""
    from django.utils import timezone

    from dangjian.services.models import Assignment, Department, Officer

    region = units[0].region
    officer = Officer.objects.filter(user=user).first() or Officer.objects.create(
        user=user, name=f"{user.username}（服务人员）", kind=kind, region=region,
        department=Department.objects.get_or_create(code="serve-test", defaults={"name": "测试派出部门",
                                                                                "region": region})[0])
    for unit in units:
        Assignment.objects.create(officer=officer, unit=unit, start=timezone.localdate())
    return officer


@pytest.fixture
def pin(time_machine):
    """pin(date) -> stop the clock at 10:00 in Shanghai on that day (so "today" never depends on the wall clock)."""
    from zoneinfo import ZoneInfo

    def move(day: dt.date) -> dt.date:
        time_machine.move_to(dt.datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
                             tick=False)
        return day

    return move
