"""The downloadable import template: data sheet (header + example row, drop-downs), notes, options."""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.imports.entities import spec_for
from dangjian.imports.pipeline import max_rows

OPTIONS_SHEET = "选项"
NOTES_SHEET = "填写说明"
HEADER_FILL = PatternFill("solid", fgColor="F3D6D6")
REQUIRED_FONT = Font(bold=True, color="B22222")
OPTIONAL_FONT = Font(bold=True, color="333333")
EXAMPLE_FONT = Font(italic=True, color="808080")
FORMATS = {"date": "yyyy-mm-dd", "month": "yyyy-mm", "text": "@", "number": "General"}


def allowed_text(column) -> str:
    if column.allowed:
        return str(column.allowed)
    if column.choices is not None:
        return _("可选：%(options)s") % {"options": "、".join(column.choices.labels())}
    return ""


def build_template(entity: str) -> bytes:
    spec = spec_for(entity)
    wb = Workbook()
    data = wb.active
    data.title = spec.sheet
    notes = wb.create_sheet(NOTES_SHEET)
    options = wb.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    last_row = max_rows() + 1

    option_col = 0
    for index, column in enumerate(spec.columns, 1):
        letter = get_column_letter(index)
        head = data.cell(row=1, column=index, value=column.header)
        head.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        head.fill = HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        tip = "；".join(t for t in (str(column.help), allowed_text(column)) if t)
        if tip:
            head.comment = Comment(("【必填】" if column.required else "") + tip, "dangjian", width=260, height=110)
        example = data.cell(row=2, column=index, value=column.example if column.example != "" else None)
        example.font = EXAMPLE_FONT
        example.number_format = FORMATS[column.kind]
        data.column_dimensions[letter].width = column.width
        data.column_dimensions[letter].number_format = FORMATS[column.kind]
        if column.choices is not None:
            option_col += 1
            opt_letter = get_column_letter(option_col)
            options.cell(row=1, column=option_col, value=column.header)
            labels = column.choices.labels()
            for n, label in enumerate(labels, 2):
                options.cell(row=n, column=option_col, value=label)
            source = f"={quote_sheetname(OPTIONS_SHEET)}!${opt_letter}$2:${opt_letter}${len(labels) + 1}"
            check = DataValidation(
                type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                errorTitle=_("请从下拉列表中选择"), error=(_("可选：%(o)s") % {"o": "、".join(labels)})[:255],
            )
            check.add(f"{letter}2:{letter}{last_row}")
            data.add_data_validation(check)
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 30

    _write_notes(notes, spec)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_notes(ws, spec) -> None:
    lines = [
        _("%(entity)s导入模板 · 填写说明") % {"entity": spec.label},
        _("1. 在“%(sheet)s”工作表中逐行填写，每行一条%(entity)s；第一行是列名，请勿修改或删除（列的顺序可以调整）。")
        % {"sheet": spec.sheet, "entity": spec.label},
        _("2. 第2行灰色斜体是示例，导入前请删除。红色列名为必填列。"),
        _("3. 日期可写作 2024-01-05、2024/1/5 或 2024年1月5日；有下拉列表的列请从列表中选择。"),
        _("4. 导入时先校验全部行，任何一行有错都不会写入，请按提示的行号和列名修改后重新上传。一次最多%(n)d行。")
        % {"n": max_rows()},
        "",
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    header = [_("列名"), _("是否必填"), _("填写说明"), _("格式或可选值"), _("示例")]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for column in spec.columns:
        example = column.example
        if hasattr(example, "isoformat"):
            example = example.isoformat()
        ws.append([column.header, _("必填") if column.required else _("选填"), str(column.help), allowed_text(column),
                   example])
    for letter, width in zip("ABCDE", (26, 10, 48, 52, 24)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=len(lines) + 2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
