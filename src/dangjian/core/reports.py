"""Excel reports: the content type and a bold header row for write-only sheets (cells escaped like every other
cell, core.cells)."""
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.core.cells import escape

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bold_row(ws, values):
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=escape(str(value)))
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)
