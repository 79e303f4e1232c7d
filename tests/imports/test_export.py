"""Exports: only the user's scope, masked unless asked for by a permitted user, audited, re-importable."""
import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditLog
from dangjian.imports import pipeline
from dangjian.imports.entities.members import SPEC as MEMBER_SPEC
from dangjian.members.models import Member
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit
from tests.imports.conftest import member_row, write_xlsx
from tests.sheets import HOSTILE, assert_no_formulas


def sheet_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_town_admin_export_lacks_other_towns_units(client, world):
    client.force_login(world.users.shuanggui)
    response = client.get(reverse("imports:export", args=["units", "xlsx"]))
    assert response.status_code == 200
    rows = sheet_rows(download(response))
    assert rows[0][:2] == ["单位名称", "统一社会信用代码"]
    assert sorted(r[0] for r in rows[1:]) == sorted(["甲印务有限公司", "乙商贸有限公司", "丙物流有限公司"])
    log = AuditLog.objects.get(action="export")
    assert log.actor == world.users.shuanggui and log.changes["rows"] == 3 and log.changes["format"] == "xlsx"


def test_regions_export_the_users_subtree_with_each_parent_by_code_or_name_path(client, world):
    client.force_login(world.users.shuanggui)
    table = list(csv.reader(io.StringIO(download(client.get(reverse("imports:export", args=["regions", "csv"])))
                                        .decode("utf-8-sig"))))
    assert table == [
        ["区域名称", "区域类型", "统计用区划代码", "代码年份", "上级区域", "经度", "纬度"],
        ["双桂街道", "街道", "500155001", "2023", "500155", "", ""],
        ["城东社区", "社区", "500155001001", "2023", "500155001", "", ""],
    ]
    client.force_login(world.users.district)
    rows = sheet_rows(download(client.get(reverse("imports:export", args=["regions", "xlsx"]))))
    assert ["高新区", "园区", None, None, "500155"] in [r[:5] for r in rows]  # a region without a code


def test_members_are_masked_by_default_and_unmasked_only_on_request_with_permission(client, world):
    client.force_login(world.users.district)
    rows = sheet_rows(download(client.get(reverse("imports:export", args=["members", "xlsx"]))))
    id_col, phone_col = MEMBER_SPEC.headers.index("身份证号码"), MEMBER_SPEC.headers.index("联系电话")
    assert len(rows) == 7 and all("*" in r[id_col] and "*" in r[phone_col] for r in rows[1:])
    assert not AuditLog.objects.filter(action="unmask").exists()

    url = reverse("imports:export_unmasked")
    full = sheet_rows(download(client.post(url, {"format": "xlsx", "confirm": "on"})))
    assert {r[id_col] for r in full[1:]} == {m.id_number for m in Member.objects.all()}
    log = AuditLog.objects.get(action="unmask")
    assert log.changes == {"fields": ["id_number", "phone"], "rows": 6, "via": "export", "entity": "members",
                           "filter": {"scope": "qu"}, "ids": sorted(Member.objects.values_list("pk", flat=True))}
    assert AuditLog.objects.filter(action="export", changes__unmasked=True).count() == 1

    client.force_login(world.users.shuanggui)  # no unmask permission
    assert client.get(url).status_code == 403
    assert client.post(url, {"format": "csv", "confirm": "on"}).status_code == 403


def test_unmasked_export_needs_the_confirmation_posted(client, world):
    client.force_login(world.users.secretary)
    url = reverse("imports:export_unmasked")
    page = client.get(url)  # the confirmation page: nothing exported yet
    assert page.status_code == 200 and "3 名党员" in page.content.decode()
    old_link = client.get(reverse("imports:export", args=["members", "xlsx"]) + "?unmask=1")
    assert old_link.status_code == 302 and old_link["Location"] == url
    refused = client.post(url, {"format": "xlsx"})
    assert refused.status_code == 400 and "请勾选确认后再导出" in refused.content.decode()
    bad = client.post(url, {"format": "exe", "confirm": "on"})
    assert bad.status_code == 400 and "format" in bad.context["form"].errors
    assert not AuditLog.objects.filter(action__in=["unmask", "export"]).exists()
    ok = client.post(url, {"format": "json", "confirm": "on"})
    assert "*" not in download(ok).decode()
    assert AuditLog.objects.get(action="unmask").changes["ids"] == sorted(
        m.pk for m in (world.members.zhang, world.members.wang, world.members.li))


def test_csv_and_json_exports(client, world):
    client.force_login(world.users.secretary)
    text = download(client.get(reverse("imports:export", args=["members", "csv"]))).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == MEMBER_SPEC.headers and len(table) == 4  # the secretary's branch: 3 members
    data = json.loads(download(client.get(reverse("imports:export", args=["organizations", "json"]))))
    assert data == [{
        "name": "甲印务有限公司党支部", "kind": "党支部", "formation": "单独组建", "parent": "",
        "region": "500155001001", "units": world.units.jia.credit_code, "founded": "2018-03-01", "status": "正常",
        "contact_phone": "", "term_start": "", "term_end": "",
    }]


def test_cli_export_scope_and_unmask(world, tmp_path, capsys):
    out = tmp_path / "units.csv"
    call_command("export_data", "units", "--format", "csv", "-o", str(out), "--user", "lirang")
    names = [r[0] for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))][1:]
    assert sorted(names) == sorted(["丁机械有限公司", "戊食品有限公司", "己建材有限公司"])
    call_command("export_data", "units", "--format", "csv", "-o", str(out))  # operator: everything
    assert len(out.read_text(encoding="utf-8-sig").strip().splitlines()) == 8
    with pytest.raises(CommandError, match="没有查看完整身份证号和电话的权限"):
        call_command("export_data", "members", "--unmask", "--user", "shuanggui", "-o", str(tmp_path / "m.xlsx"))
    call_command("export_data", "members", "--unmask", "--user", "qu", "-o", str(tmp_path / "m.xlsx"))
    assert "*" not in str(sheet_rows((tmp_path / "m.xlsx").read_bytes())[1])
    assert AuditLog.objects.filter(action="unmask", actor=world.users.district).exists()


def test_units_export_reimports_cleanly_and_reports_duplicates_when_present(world, tmp_path):
    path = tmp_path / "units.xlsx"
    call_command("export_data", "units", "-o", str(path))
    outcome = pipeline.validate("units", path, None)
    assert outcome.total == 7
    assert {(i.column, i.message.split("“")[0]) for i in outcome.issues} == {("统一社会信用代码", "该统一社会信用代码已被")}
    before = {u.credit_code: (u.name, u.region_id, u.kind, u.industry_section, u.employees, u.status)
              for u in Unit.objects.all()}
    Member.objects.update(employer=None)
    Unit.objects.all().delete()
    outcome = pipeline.validate("units", path, None)
    assert outcome.ok, outcome.issues
    pipeline.commit(outcome, None, "units.xlsx")
    after = {u.credit_code: (u.name, u.region_id, u.kind, u.industry_section, u.employees, u.status)
             for u in Unit.objects.all()}
    assert after == before


def test_members_export_reimports_cleanly(world, tmp_path):
    rows = [member_row(姓名=f"往返{i}", 工作单位统一社会信用代码=world.units.jia.credit_code, 流动党员="是") for i in range(3)]
    outcome = pipeline.validate("members", write_xlsx(tmp_path / "in.xlsx", rows), None)
    pipeline.commit(outcome, None, "in.xlsx")
    fields = ("name", "gender", "birth_date", "category", "organization_id", "join_date", "confirm_date",
              "employer_id", "is_mobile", "id_number_hash", "phone_hash")
    before = sorted(Member.objects.filter(name__startswith="往返").values_list(*fields))
    out = tmp_path / "out.xlsx"
    call_command("export_data", "members", "--unmask", "-o", str(out))
    Member.objects.filter(name__startswith="往返").delete()
    ws = load_workbook(out)
    sheet = ws.worksheets[0]
    for row in list(sheet.iter_rows(min_row=2)):  # keep only the round-trip members
        if not str(row[0].value).startswith("往返"):
            sheet.delete_rows(row[0].row)
    ws.save(out)
    outcome = pipeline.validate("members", out, None)
    assert outcome.ok, outcome.issues
    pipeline.commit(outcome, None, "out.xlsx")
    assert sorted(Member.objects.filter(name__startswith="往返").values_list(*fields)) == before


def test_masked_members_export_and_organizations_export_report_clearly(world, tmp_path):
    path = tmp_path / "m.xlsx"
    call_command("export_data", "members", "-o", str(path))
    outcome = pipeline.validate("members", path, None)
    assert {(i.column, i.message) for i in outcome.issues} == {
        ("身份证号码", "身份证号码已脱敏（含*），无法导入，请填写完整号码"),
        ("联系电话", "联系电话已脱敏（含*），无法导入，请填写完整号码"),
    }
    path = tmp_path / "o.xlsx"
    call_command("export_data", "organizations", "-o", str(path))
    outcome = pipeline.validate("organizations", path, None)
    assert {(i.row, i.message) for i in outcome.issues} == {
        (n, f"系统中已有名为“{o.name}”的党组织") for n, o in enumerate(Organization.objects.order_by("path"), 2)}


def test_hostile_text_is_escaped_in_xlsx_and_csv_but_numbers_stay_numbers(client, world):
    """Issue 12, finding 3: a name that is a formula reaches Excel as text; a negative longitude stays a number."""
    Member.objects.filter(pk=world.members.zhang.pk).update(name=HOSTILE)
    Region.objects.filter(pk=world.shuanggui.pk).update(lng=-12.5, lat=-0.25)
    client.force_login(world.users.district)
    texts = assert_no_formulas(download(client.get(reverse("imports:export", args=["members", "xlsx"]))))
    assert "'" + HOSTILE in texts
    table = list(csv.reader(io.StringIO(download(client.get(reverse("imports:export", args=["members", "csv"])))
                                        .decode("utf-8-sig"))))
    names = [r[0] for r in table[1:]]
    assert "'" + HOSTILE in names and HOSTILE not in names
    regions = sheet_rows(download(client.get(reverse("imports:export", args=["regions", "xlsx"]))))
    assert ["双桂街道", -12.5, -0.25] == [r[i] for r in regions if r[0] == "双桂街道" for i in (0, 5, 6)]
    table = list(csv.reader(io.StringIO(download(client.get(reverse("imports:export", args=["regions", "csv"])))
                                        .decode("utf-8-sig"))))
    assert ["-12.5", "-0.25"] == next(r[5:7] for r in table if r[0] == "双桂街道")
    as_json = json.loads(download(client.get(reverse("imports:export", args=["members", "json"]))))
    assert HOSTILE in [m["name"] for m in as_json]  # JSON carries the data as it is
