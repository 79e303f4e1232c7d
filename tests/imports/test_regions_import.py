"""Region import: parents by code or full name path (the database or an earlier row), each bad cell named by
row and column, the same rules as adding a region by hand."""
import pytest

from dangjian.core.models import AuditLog
from dangjian.imports import pipeline
from dangjian.regions.models import Region, RegionKind
from tests.imports.conftest import issues_at, write_xlsx


@pytest.fixture
def regions_file(tmp_path):
    def make(rows):
        return write_xlsx(tmp_path / "regions.xlsx", rows, sheet="区域")
    return make


def row(name, kind, code=None, year=None, parent=None, **extra) -> dict:
    return {"区域名称": name, "区域类型": kind, "统计用区划代码": code, "代码年份": year, "上级区域": parent, **extra}


def test_new_regions_under_existing_and_earlier_rows_go_into_the_tree(world, regions_file):
    rows = [
        row("城西社区", "社区", "500155001002", 2023, "500155001", 经度=107.8, 纬度=30.67),
        row("西城网格", "网格", parent="梁平区/双桂街道/城西社区"),  # by the full name path of an earlier row
        row("新城村", "村", 500155101200, 2023, "礼让镇"),  # a code typed as a number; a unique trailing name
        row("高新区商务楼", "商务楼宇", parent="梁平区/高新区"),  # a parent without a code
    ]
    outcome = pipeline.validate("regions", regions_file(rows), None)
    assert outcome.issues == []
    assert pipeline.commit(outcome, None, "regions.xlsx") == 4
    west = Region.objects.get(code="500155001002")
    assert Region.objects.get_parent(west) == world.shuanggui and (west.lng, west.lat) == (107.8, 30.67)
    grid = Region.objects.get(name="西城网格")
    assert grid.kind == RegionKind.GRID and Region.objects.get_parent(grid) == west
    assert Region.objects.get_parent(Region.objects.get(code="500155101200")).name == "礼让镇"
    assert Region.objects.get_parent(Region.objects.get(name="高新区商务楼")) == world.park
    assert Region.objects.find_problems() == ([], [], [], [], [])
    # Siblings stay in code order (Region.node_order_by), whatever the order of the file.
    assert [r.code for r in Region.objects.get_children(world.shuanggui)] == ["500155001001", "500155001002"]
    assert AuditLog.objects.get(action="import").changes["entity"] == "regions"


def test_each_error_names_its_row_and_column(world, regions_file):
    rows = [
        row("某省", "省"),                                                       # 2 no such kind, top level
        row("甲社区", "社区", "50015500100", 2023, "500155001"),                  # 3 11 digits
        row("乙社区", "社区", "500155001003", None, "500155001"),                 # 4 code without year
        row("丙社区", "社区", "500155001001", 2023, "500155001"),                 # 5 code already used
        row("丁社区", "社区", "500155001004", 2023, "500155001"),                 # 6
        row("戊社区", "社区", "500155001004", 2023, "500155001"),                 # 7 same code as row 6
        row("己社区", "社区", parent="梁平区/不存在的街道"),                         # 8 unknown parent
        row("庚网格", "网格", parent="梁平区/双桂街道/辛社区"),                       # 9 parent in a later row
        row("辛社区", "社区", parent="500155001"),                                # 10
        row("城东社区", "社区", parent="500155001"),                              # 11 already there
        row(None, "村", parent="500155101"),                                     # 12 no name
    ]
    before = Region.objects.count()
    outcome = pipeline.validate("regions", regions_file(rows), None)
    found = issues_at(outcome)
    assert found[(2, "区域类型")].startswith("“省”不是有效的选项，可选：区县、镇、街道")
    assert found[(3, "统计用区划代码")] == "统计用区划代码应为6、9或12位数字"
    assert found[(4, "代码年份")] == "填写区划代码时须注明代码所属年份"
    assert found[(5, "统计用区划代码")] == "系统中已有区划代码为500155001001的区域“城东社区”"
    assert found[(7, "统计用区划代码")] == "与第6行重复（统计用区划代码相同）"
    assert found[(8, "上级区域")].startswith("找不到区域“梁平区/不存在的街道”")
    assert found[(9, "上级区域")] == "上级区域“梁平区/双桂街道/辛社区”在第10行，应写在本行之前"
    assert found[(11, "区域名称")] == "系统中已有区域“梁平区/双桂街道/城东社区”"
    assert found[(12, "区域名称")] == "请填写“区域名称”"
    assert {6, 10} & {r for r, _c in found} == set()
    with pytest.raises(ValueError):
        pipeline.commit(outcome, None, "regions.xlsx")
    assert Region.objects.count() == before


def test_a_town_administrator_adds_regions_only_inside_the_town(world, regions_file):
    rows = [
        row("城北社区", "社区", "500155001005", 2023, "500155001"),
        row("礼让新村", "村", "500155101201", 2023, "500155101"),  # another town
        row("新区县", "区县", "500156", 2023),  # top level: the system administrator only
    ]
    found = issues_at(pipeline.validate("regions", regions_file(rows), world.users.shuanggui))
    assert found == {
        (3, "上级区域"): "“礼让镇”不在您的管理范围内",
        (4, "上级区域"): "只有系统管理员可以新增顶级区域",
    }
