"""/coverage/export.xlsx: one sheet per breakdown plus blank spots, Chinese headers, real numbers."""
import io

from openpyxl import load_workbook

from dangjian.core.models import AuditLog
from dangjian.units.models import Unit
from tests.sheets import HOSTILE, assert_no_formulas


def download(client, user, params=None):
    client.force_login(user)
    response = client.get("/coverage/export.xlsx", params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_has_every_sheet_with_chinese_headers(world, client):
    wb = download(client, world.users.district)
    assert wb.sheetnames == ["概况", "按区域", "按行业", "按单位类型", "按规模", "空白点"]
    assert rows(wb["按区域"])[0][:4] == ["区域", "在营单位数", "组织覆盖单位数", "组织覆盖率"]
    assert rows(wb["空白点"])[0][0] == "单位名称"


def test_workbook_contains_the_numbers(world, client):
    wb = download(client, world.users.district)
    summary = {r[0]: r[1:] for r in rows(wb["概况"])}
    assert summary["在营单位数（分母）"][0] == 6
    assert summary["组织覆盖率"][:3] == [0.6667, 4, 6]
    assert wb["概况"]["B" + str(list(summary).index("组织覆盖率") + 1)].number_format == "0.00%"
    regions = {r[0]: r for r in rows(wb["按区域"])[1:]}
    assert regions["双桂街道"][1:4] == [3, 3, 1.0]
    assert regions["高新区"][3] == 0
    kinds = {r[0]: r for r in rows(wb["按单位类型"])[1:]}
    assert kinds["社会组织"][3] == "—"  # missing, not 0
    spots = rows(wb["空白点"])[1:]
    assert [r[0] for r in spots] == ["庚科技有限公司", "戊食品有限公司"]
    assert spots[1][6:8] == [1, 1] and spots[1][9] == "联合组建联合党支部"


def test_export_is_scoped_and_logged(world, client):
    wb = download(client, world.users.lirang)
    assert {r[0] for r in rows(wb["空白点"])[1:]} == {"戊食品有限公司"}
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=world.users.lirang).count() == 1
    assert client.get("/coverage/export.xlsx", {"region": world.shuanggui.pk}).status_code == 404


def test_export_of_one_region(world, client):
    wb = download(client, world.users.district, {"region": world.shuanggui.pk})
    assert rows(wb["概况"])[1] == ["统计范围", "双桂街道", None, None]
    assert {r[0] for r in rows(wb["按区域"])[1:]} == {"城东社区", "双桂街道（直属）"}


def test_a_hostile_unit_name_is_text_not_a_formula(world, client):
    Unit.objects.filter(name="庚科技有限公司").update(name=HOSTILE)  # a blank spot: listed on its own sheet
    client.force_login(world.users.district)
    assert "'" + HOSTILE in assert_no_formulas(client.get("/coverage/export.xlsx").content)
