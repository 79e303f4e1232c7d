"""Unit and organisation imports: credit codes, regions by code or name path, parents, covered units."""
import datetime as dt

import pytest

from dangjian.core.validators import make_credit_code
from dangjian.imports import pipeline
from dangjian.organizations.models import Formation, Organization, OrgUnit
from dangjian.units.models import Unit
from tests.imports.conftest import issues_at, write_xlsx


def code(n: int) -> str:
    return make_credit_code("9", "1", "500155", f"{n:08d}")


def unit_row(n: int, **overrides) -> dict:
    row = {"单位名称": f"测试{n}有限公司", "统一社会信用代码": code(n), "单位类型": "非公企业", "行业门类": "C",
           "行业大类": "23", "从业人员数": 12, "所在区域": "500155001001", "成立日期": "2016-03-08"}
    row.update(overrides)
    return row


@pytest.fixture
def xlsx(tmp_path):
    def make(rows, sheet):
        return write_xlsx(tmp_path / "data.xlsx", rows, sheet=sheet)
    return make


def test_units_commit_with_region_by_code_or_name_path(world, xlsx):
    rows = [unit_row(101), unit_row(102, 所在区域="梁平区/礼让镇", 行业门类=None, 行业大类="印刷和记录媒介复制业"),
            unit_row(103, 所在区域="高新区", 行业门类="C 制造业", 规模以上="是", 单位类型="社会组织")]
    outcome = pipeline.validate("units", xlsx(rows, "单位"), world.users.district)
    assert outcome.ok, outcome.issues
    pipeline.commit(outcome, world.users.district, "units.xlsx")
    assert Unit.objects.get(credit_code=code(101)).region == world.community
    second = Unit.objects.get(credit_code=code(102))
    assert (second.region, second.industry_section, second.industry_division) == (world.lirang, "C", "23")
    third = Unit.objects.get(credit_code=code(103))
    assert third.region == world.park and third.above_size and third.kind == "social_org"


def test_unit_errors_by_row_and_column(world, xlsx):
    bad = code(104)[:-1] + ("0" if code(104)[-1] != "0" else "1")
    rows = [
        unit_row(105, 统一社会信用代码=bad),                                      # 2 bad check character
        unit_row(106, 所在区域="500155999999"),                                   # 3 unknown code
        unit_row(107, 统一社会信用代码=world.units.jia.credit_code),              # 4 already registered
        unit_row(108), unit_row(108, 单位名称="另一家"),                          # 5, 6 duplicate in the file
        unit_row(109, 行业大类="62"),                                             # 7 division not in section C
        unit_row(110, 成立日期=dt.date.today() + dt.timedelta(days=1)),          # 8 future
        unit_row(111, 所在区域="城东"),                                           # 9 no such region
        unit_row(112, 从业人员数="很多"),                                         # 10
    ]
    before = Unit.objects.count()
    found = issues_at(pipeline.validate("units", xlsx(rows, "单位"), None))
    assert found[(2, "统一社会信用代码")] == "统一社会信用代码校验位错误"
    assert found[(3, "所在区域")] == "统计用区划代码“500155999999”不存在"
    assert found[(4, "统一社会信用代码")] == "该统一社会信用代码已被“甲印务有限公司”使用"
    assert (5, "统一社会信用代码") not in found
    assert found[(6, "统一社会信用代码")] == "与第5行重复（统一社会信用代码相同）"
    assert found[(7, "行业大类")] == "行业大类62属于门类H，与所选门类不符"
    assert found[(8, "成立日期")] == "成立日期不能晚于今天"
    assert found[(9, "所在区域")].startswith("找不到区域“城东”")
    assert found[(10, "从业人员数")] == "应为整数，而不是“很多”"
    assert Unit.objects.count() == before


def test_town_admin_cannot_import_units_into_another_town(world, xlsx):
    rows = [unit_row(120, 所在区域="500155001"), unit_row(121, 所在区域="500155101")]
    found = issues_at(pipeline.validate("units", xlsx(rows, "单位"), world.users.shuanggui))
    assert found == {(3, "所在区域"): "“礼让镇”不在您的管理范围内"}


def test_units_without_credit_code_are_matched_by_name_in_region(world, xlsx):
    rows = [unit_row(130, 统一社会信用代码=None, 单位名称="甲印务有限公司"),
            unit_row(131, 统一社会信用代码=None, 单位名称="无码小店"),
            unit_row(132, 统一社会信用代码=None, 单位名称="无码小店")]
    found = issues_at(pipeline.validate("units", xlsx(rows, "单位"), None))
    assert found[(2, "单位名称")] == "“城东社区”已有名为“甲印务有限公司”的单位"
    assert found[(4, "单位名称")] == "与第3行重复（单位名称和所在区域相同）"


def org_row(name, kind="党支部", **overrides):
    row = {"党组织名称": name, "党组织类别": kind, "所在区域": "500155001", "成立日期": "2020-01-01"}
    row.update(overrides)
    return row


def test_organizations_with_parents_in_file_and_database_and_covered_units(world, xlsx):
    new_unit = Unit.objects.create(name="新单位", credit_code=code(140), industry_section="C", region=world.shuanggui)
    rows = [
        org_row("双桂商圈联合党支部", "联合党支部", 上级党组织="双桂街道非公党委",
                覆盖单位统一社会信用代码=f"{world.units.yi.credit_code}、{new_unit.credit_code}; {world.units.bing.credit_code}"),
        org_row("双桂街道非公党委", "基层党委", 本届任期开始="2022-07-01"),
        org_row("第一党小组", "党小组", 上级党组织="双桂商圈联合党支部"),
        org_row("甲印务第二党小组", "党小组", 上级党组织="甲印务有限公司党支部", 所在区域="梁平区/双桂街道/城东社区"),
    ]
    outcome = pipeline.validate("organizations", xlsx(rows, "党组织"), world.users.shuanggui)
    assert outcome.ok, outcome.issues
    pipeline.commit(outcome, world.users.shuanggui, "orgs.xlsx")
    committee = Organization.objects.get(name="双桂街道非公党委")
    joint = Organization.objects.get(name="双桂商圈联合党支部")
    assert Organization.objects.get_parent(joint) == committee and joint.formation == Formation.JOINT
    assert committee.term_end == dt.date(2027, 7, 1)  # 5-year term computed by clean_organization
    assert set(OrgUnit.objects.filter(organization=joint).values_list("unit__name", flat=True)) == {
        "乙商贸有限公司", "丙物流有限公司", "新单位"}
    assert Organization.objects.get_parent(Organization.objects.get(name="第一党小组")) == joint
    assert Organization.objects.get_parent(Organization.objects.get(name="甲印务第二党小组")) == world.orgs.jia


def test_organization_errors(world, xlsx):
    rows = [
        org_row("甲印务有限公司党支部"),                                                # 2 name taken
        org_row("新党支部", 覆盖单位统一社会信用代码=f"{world.units.yi.credit_code};{world.units.bing.credit_code}"),  # 3
        org_row("孤立党小组", "党小组"),                                                # 4 group without a branch
        org_row("循环甲", 上级党组织="循环乙"), org_row("循环乙", 上级党组织="循环甲"),   # 5, 6 cycle (branches under branch)
        org_row("无上级", 上级党组织="不存在的党委"),                                     # 7
        org_row("外镇党支部", 上级党组织="丁机械有限公司党支部", 党组织类别="党小组"),     # 8 out of scope parent
        org_row("覆盖外镇", 覆盖单位统一社会信用代码=world.units.ding.credit_code),        # 9 out of scope unit
        org_row("自己", 上级党组织="自己"),                                               # 10
    ]
    before = Organization.objects.count()
    found = issues_at(pipeline.validate("organizations", xlsx(rows, "党组织"), world.users.shuanggui))
    assert found[(2, "党组织名称")] == "系统中已有名为“甲印务有限公司党支部”的党组织"
    assert found[(3, "覆盖单位统一社会信用代码")] == "单独组建的党支部只能覆盖一家单位，多家单位请建立联合党支部"
    assert found[(4, "党组织类别")] == "党小组必须设在党支部之下"
    assert found[(5, "上级党组织")] == "上级党组织关系形成了循环"
    assert found[(6, "上级党组织")] == "上级党组织关系形成了循环"
    assert found[(7, "上级党组织")] == "找不到党组织“不存在的党委”（按名称或编号查找）"
    assert found[(8, "上级党组织")] == "“丁机械有限公司党支部”不在您的管理范围内"
    assert found[(9, "覆盖单位统一社会信用代码")] == "“丁机械有限公司”不在您的管理范围内"
    assert found[(10, "上级党组织")] == "上级党组织不能是本组织"
    assert Organization.objects.count() == before
