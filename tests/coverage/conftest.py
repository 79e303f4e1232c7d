import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core import rules as rules_module
from dangjian.organizations.models import Formation, Organization, OrgKind, OrgUnit
from dangjian.regions.models import Region
from dangjian.units.models import Unit, UnitKind
from tests.fixtures import credit_code

_n = iter(range(500, 100_000))


def fresh(obj):
    """The object re-read from the database (tree paths shift on sorted inserts)."""
    return type(obj).objects.get(pk=obj.pk)


def make_unit(region, name=None, employees=20, industry="C", **kw) -> Unit:
    n = next(_n)
    return Unit.objects.create(
        name=name or f"测试单位{n}", credit_code=credit_code(n), kind=kw.pop("kind", UnitKind.ENTERPRISE),
        industry_section=industry, industry_division=kw.pop("industry_division", ""), employees=employees,
        region=region, **kw,
    )


def make_org(region, name, formation=Formation.OWN, units=(), kind=None, **kw) -> Organization:
    kind = kind or (OrgKind.JOINT_BRANCH if formation == Formation.JOINT else OrgKind.BRANCH)
    org = Organization.objects.add_root(instance=Organization(name=name, kind=kind, formation=formation, region=region, **kw))
    OrgUnit.objects.bulk_create([OrgUnit(organization=org, unit=u) for u in units])
    return org


def add_region(parent, name, kind, code="", **kw) -> Region:
    region = Region.objects.add_child(fresh(parent), dict(name=name, kind=kind, code=code, **kw))
    return fresh(region)


@pytest.fixture
def count_queries():
    """count_queries(fn) -> (number of queries, result)."""

    def run(fn, *args, **kwargs):
        with CaptureQueriesContext(connection) as ctx:
            result = fn(*args, **kwargs)
        return len(ctx.captured_queries), result

    return run


@pytest.fixture
def local_rules(settings, tmp_path):
    """local_rules("[coverage]\\nwork_link_kinds = [...]") installs a local rule-set override."""

    def install(text: str):
        path = tmp_path / "local.toml"
        path.write_text(text, encoding="utf-8")
        settings.DANGJIAN_RULES_FILE = str(path)
        rules_module._load.cache_clear()

    yield install
    rules_module._load.cache_clear()



