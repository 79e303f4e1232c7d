"""Imports refuse formulas and read our escaped exports back as the original text (issue 12, finding 3)."""
import io
import zipfile

from django.core.management import call_command

from dangjian.imports import pipeline
from dangjian.imports.cells import Formula
from dangjian.imports.reader import _iter_cells, load_workbook
from dangjian.members.models import Member
from tests.imports.conftest import issues_at, member_row, workbook_bytes
from tests.sheets import HOSTILE


def with_cached_value(content: bytes, formula: str, value: str) -> bytes:
    """The workbook with the formula given a cached text result, as Excel saves it (openpyxl saves none)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "xl/worksheets/sheet1.xml":
                old = f"<c r=\"A3\"><f>{formula}</f><v />".encode()
                assert old in data, data
                data = data.replace(old, f"<c r=\"A3\" t=\"str\"><f>{formula}</f><v>{value}</v>".encode())
            dst.writestr(item, data)
    return out.getvalue()


def test_the_reader_marks_formula_cells(tmp_path):
    content = workbook_bytes([{"姓名": "=1+1"}, {"姓名": '="张"&"伟"'}, {"姓名": "张伟"}])
    content = with_cached_value(content, '"张"&amp;"伟"', "张伟")
    wb = load_workbook(io.BytesIO(content))
    rows = dict(_iter_cells(wb.worksheets[0], {1: "name"}, 2))
    assert rows == {2: {"name": Formula("1+1")}, 3: {"name": Formula('"张"&"伟"')}, 4: {"name": "张伟"}}
    wb.close()


def test_a_formula_cell_is_refused_with_its_row_and_column(world, tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(workbook_bytes([member_row(姓名="刘一"), member_row(姓名=HOSTILE), member_row(联系电话="=139*1")]))
    outcome = pipeline.validate("members", path, world.users.district)
    issues = issues_at(outcome)
    assert set(issues) == {(3, "姓名"), (4, "联系电话")}
    assert issues[3, "姓名"].startswith("“姓名”是公式（" + HOSTILE[:50]) and "选择性粘贴" in issues[3, "姓名"]
    assert issues[4, "联系电话"].startswith("“联系电话”是公式（=139*1）")


def test_escaped_text_imports_as_the_original_and_exports_escaped_again(world, tmp_path):
    names = [HOSTILE, "-减号开头", "'引号开头", "@at"]
    path = tmp_path / "in.xlsx"
    path.write_bytes(workbook_bytes([member_row(姓名="'" + n) for n in names] + [member_row(姓名="'普通")]))
    outcome = pipeline.validate("members", path, None)
    assert outcome.ok, outcome.issues
    pipeline.commit(outcome, None, "in.xlsx")
    assert set(Member.objects.filter(pk__gt=world.members.zhou.pk).values_list("name", flat=True)) == {
        HOSTILE, "-减号开头", "'引号开头", "@at", "'普通"}  # an apostrophe we did not add stays
    out = tmp_path / "out.xlsx"
    call_command("export_data", "members", "--unmask", "-o", str(out))
    before = sorted(Member.objects.values_list("name", "id_number_hash"))
    Member.objects.all().delete()
    outcome = pipeline.validate("members", out, None)
    assert outcome.ok, outcome.issues
    pipeline.commit(outcome, None, "out.xlsx")
    assert sorted(Member.objects.values_list("name", "id_number_hash")) == before
