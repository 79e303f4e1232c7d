"""The lean row reader gives the same values as openpyxl; cell parsers accept what users type."""
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from dangjian.imports import cells
from dangjian.imports.reader import _iter_cells

VALUES = [
    ["文本", " 前后空格 ", 42, 3.5, True, False, None, dt.datetime(2024, 1, 5), dt.date(2023, 12, 31),
     "=1+1", "a & b <c>", 110101199001011234, "", CellRichText("红", TextBlock(InlineFont(b=True), "色"))],
    [None, None, None, "only D"],
    [],
    ["last", 1e20, -7],
]


def workbook(write_only=False) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("数据") if write_only else wb.active
    for row in VALUES:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def shared_strings_version(content: bytes) -> bytes:
    """The same sheet as Excel saves it: strings in xl/sharedStrings.xml, cells t="s"."""
    import re

    src = zipfile.ZipFile(io.BytesIO(content))
    sheet_name = next(n for n in src.namelist() if n.startswith("xl/worksheets/sheet"))
    sheet = src.read(sheet_name).decode()
    strings = []

    def share(match):
        strings.append(match.group(2))
        return f'<c{match.group(1)} t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(r'<c([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', share, sheet)
    shared = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              + "".join(f"<si><t xml:space=\"preserve\">{s}</t></si>" for s in strings) + "</sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == sheet_name:
                data = sheet.encode()
            elif item == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif item == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.'
                                    b'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            dst.writestr(item, data)
        dst.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


@pytest.mark.parametrize("variant", ["normal", "write_only", "shared_strings"])
def test_lean_reader_matches_openpyxl(variant):
    content = workbook(write_only=variant == "write_only")
    if variant == "shared_strings":
        content = shared_strings_version(content)
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    if variant == "shared_strings":
        assert ws._shared_strings, "the fixture should really use shared strings"
    expected = {}
    for number, row in enumerate(ws.iter_rows(values_only=True), 1):
        cells_of_row = {i: v for i, v in enumerate(row, 1) if v is not None}
        if cells_of_row:
            expected[number] = cells_of_row
    expected[1][10] = cells.Formula("1+1")  # openpyxl gives a formula's (here missing) result; we mark it, to refuse it
    wanted = {i: i for i in range(1, 30)}
    ours = {n: c for n, c in _iter_cells(ws, wanted) if c}
    assert ours == expected
    assert ours[1][14] == "红色" and ours[1][8] == dt.datetime(2024, 1, 5) and ours[1][11] == "a & b <c>"
    wb.close()


@pytest.mark.parametrize("raw, expected", [
    (dt.datetime(2024, 1, 5, 0, 0), dt.date(2024, 1, 5)),
    ("2024-01-05", dt.date(2024, 1, 5)),
    ("2024/1/5", dt.date(2024, 1, 5)),
    ("2024年1月5日", dt.date(2024, 1, 5)),
    ("2024.1.5", dt.date(2024, 1, 5)),
    ("20240105", dt.date(2024, 1, 5)),
    (20240105, dt.date(2024, 1, 5)),
    (45296, dt.date(2024, 1, 5)),  # Excel serial number
    ("45296", dt.date(2024, 1, 5)),
    ("2024-01-05 08:30", dt.date(2024, 1, 5)),
])
def test_dates(raw, expected):
    assert cells.date(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("2024-02-30", "日期“2024-02-30”不存在，请检查年月日"),
    ("1月5日", "无法识别的日期“1月5日”，请按 2024-01-05 的格式填写"),
    (-3, "无法识别的日期“-3”，请按 2024-01-05 的格式填写"),
    (True, "无法识别的日期“True”，请按 2024-01-05 的格式填写"),
])
def test_bad_dates(raw, message):
    with pytest.raises(cells.CellError) as exc:
        cells.date(raw)
    assert str(exc.value) == message


def test_months_booleans_numbers_and_choices():
    assert cells.month("2024-05") == cells.month("2024年5月") == cells.month(dt.datetime(2024, 5, 17)) == dt.date(2024, 5, 1)
    assert [cells.boolean(v) for v in ("是", "否", "Y", "false", 1, True)] == [True, False, True, False, True, True]
    with pytest.raises(cells.CellError, match="应填“是”或“否”"):
        cells.boolean("也许")
    assert cells.integer("1,200") == 1200 and cells.integer(12.0) == 12
    with pytest.raises(cells.CellError, match="应为整数"):
        cells.integer(1.5)
    assert cells.decimal("10") == Decimal("10.00")
    from dangjian.members.models import Category

    choice = cells.Choices(Category.choices)
    assert choice("正式党员") == choice(" formal ") == Category.FORMAL
    assert choice("预备党员") == Category.PROBATIONARY
    assert cells.text(13800001111.0) == "13800001111"


def test_reader_process_gives_the_same_rows_as_reading_in_process(tmp_path):
    from dangjian.imports.entities.members import SPEC
    from dangjian.imports.reader import open_sheet

    path = tmp_path / "m.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "党员"
    ws.append(["姓名", "身份证号码", "人员类别", "所在党支部", "入党日期", "备注"])
    for i in range(2500):
        ws.append([f"人{i}", f"{i:018d}", "正式党员", i, dt.datetime(2015, 7, 1) if i % 2 else "2015/7/1",
                   None if i % 3 else "x"])
    ws.append([None, None, None, None, None, "only an ignored column"])
    wb.save(path)
    with open_sheet(path, SPEC) as sheet:
        here = list(sheet.rows())
        there = list(sheet.rows(in_child=True))
    assert len(here) == 2500 and there == here


def test_reader_process_failure_is_a_file_problem(tmp_path):
    from dangjian.imports.reader import FileProblem, _rows_from_child

    with pytest.raises(FileProblem, match="无法打开文件"):
        list(_rows_from_child(str(tmp_path / "gone.xlsx"), "党员", {1: "name"}, 2))


def test_parallel_and_serial_validation_agree(world, tmp_path, settings, monkeypatch):
    from dangjian.imports import pipeline
    from tests.imports.conftest import member_row, write_xlsx

    rows = [member_row(姓名=f"并行{i}") for i in range(30)] + [member_row(人员类别="党员")]
    path = write_xlsx(tmp_path / "m.xlsx", rows)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    settings.DANGJIAN_IMPORT_PARALLEL_READ = True
    parallel = pipeline.validate("members", path, None)
    settings.DANGJIAN_IMPORT_PARALLEL_READ = False
    serial = pipeline.validate("members", path, None)
    assert parallel.issues == serial.issues == [pipeline.Issue(32, "人员类别", "“党员”不是有效的选项，可选：正式党员、预备党员")]
    assert [m.name for m in parallel.objects] == [m.name for m in serial.objects]


def _members_sheet(path, rows: int, write_only: bool):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("党员") if write_only else wb.active
    ws.title = "党员"
    ws.append(["姓名", "身份证号码", "人员类别", "所在党支部", "入党日期"])
    for i in range(rows):
        ws.append([f"人{i}", f"{i:018d}", "正式党员" if i % 2 else "预备党员", f"支部{i % 7}", dt.date(2015, 7, 1)])
    wb.save(path)
    return path


def test_unsized_sheet_is_read_whole_and_its_rows_estimated(tmp_path):
    """openpyxl's write-only files have no <dimension>: every row is still read, the total is an estimate."""
    from dangjian.imports.entities.members import SPEC
    from dangjian.imports.reader import open_sheet

    unsized = _members_sheet(tmp_path / "unsized.xlsx", 3000, write_only=True)
    with zipfile.ZipFile(unsized) as z:
        assert b"<dimension" not in z.read("xl/worksheets/sheet1.xml")
    with open_sheet(unsized, SPEC) as sheet:
        assert not sheet.sized and sheet.worksheet.max_row is None
        assert 2700 <= sheet.estimated_rows <= 3300
        rows = list(sheet.rows())
    assert len(rows) == 3000 and rows[-1] == (3001, {"name": "人2999", "id_number": f"{2999:018d}",
                                                     "category": "正式党员", "organization": "支部3",
                                                     "join_date": dt.datetime(2015, 7, 1)})
    sized = _members_sheet(tmp_path / "sized.xlsx", 40, write_only=False)
    with open_sheet(sized, SPEC) as sheet:
        assert sheet.sized and sheet.estimated_rows == 40
    small = _members_sheet(tmp_path / "small.xlsx", 5, write_only=True)  # wholly inside the sample: exact
    with open_sheet(small, SPEC) as sheet:
        assert not sheet.sized and sheet.estimated_rows == 5


def test_unsized_file_over_the_limit_is_refused_by_rows_read(world, tmp_path, settings):
    from dangjian.imports import pipeline
    from dangjian.imports.reader import FileProblem

    settings.DANGJIAN_IMPORT_MAX_ROWS = 100
    path = _members_sheet(tmp_path / "big.xlsx", 150, write_only=True)
    with pytest.raises(FileProblem, match="文件超过单次导入上限100行"):
        pipeline.validate("members", path, None)
