"""Coverage figures as an Excel workbook: a summary sheet, one sheet per breakdown, the blank spots.

Rates are written as numbers in percent format; a missing rate (zero denominator) is "—".
"""
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.core.cells import append, escape
from dangjian.coverage import queries
from dangjian.coverage.figures import MISSING
from dangjian.coverage.recommend import recommend_units
from dangjian.units.industry import SECTIONS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 200  # units per recommendation batch


def _header(ws, titles, widths=None):
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=escape(str(title)))
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)


def _rate_cell(ws, rate):
    if rate.ratio is None:
        return MISSING
    cell = WriteOnlyCell(ws, value=round(rate.ratio, 4))
    cell.number_format = "0.00%"
    return cell


def _breakdown_sheet(wb, title, first_column, rows):
    ws = wb.create_sheet(str(title))
    _header(ws, [first_column, _("在营单位数"), _("组织覆盖单位数"), _("组织覆盖率"), _("单独组建单位数"), _("单独组建率"),
                 _("工作覆盖单位数"), _("工作覆盖率"), _("未覆盖单位数")], [22, 12, 14, 12, 14, 12, 14, 12, 12])
    for r in rows:
        append(ws, [r.label, r.units, r.covered, _rate_cell(ws, r.coverage_rate), r.own, _rate_cell(ws, r.own_rate),
                    r.work, _rate_cell(ws, r.work_rate), r.uncovered])


def build_workbook(user, region=None, sort="employees", **filters) -> Workbook:
    wb = Workbook(write_only=True)
    s = queries.summary(user, region=region, **filters)
    ws = wb.create_sheet(_("概况"))
    _header(ws, [_("指标"), _("数值"), _("分子"), _("分母")], [28, 14, 10, 10])
    append(ws, [_("统计范围"), region.name if region else _("全部管理范围")])
    append(ws, [_("统计日期"), timezone.localdate().isoformat()])
    for name in ("industry", "kind", "size"):
        if filters.get(name):
            label = {"industry": _("行业门类"), "kind": _("单位类型"), "size": _("规模")}[name]
            append(ws, [label, filters[name]])
    append(ws, [_("在营单位数（分母）"), s.units])
    append(ws, [_("注销/吊销单位（不计入）"), s.closed])
    append(ws, [_("停业单位（不计入）"), s.suspended])
    for label, rate in ((_("组织覆盖率"), s.coverage_rate), (_("单独组建率"), s.own_rate), (_("工作覆盖率"), s.work_rate)):
        append(ws, [label, _rate_cell(ws, rate), rate.numerator, rate.denominator])
    append(ws, [_("联合组建覆盖单位数"), s.joint])
    append(ws, [_("兜底覆盖单位数"), s.fallback])
    append(ws, [_("未覆盖单位数（空白点）"), s.uncovered])

    by_region = queries.breakdown(user, "region", region, **filters)
    _breakdown_sheet(wb, _("按区域"), _("区域"), by_region.rows)
    _breakdown_sheet(wb, _("按行业"), _("行业门类"), queries.breakdown(user, "industry", region, **filters).rows)
    _breakdown_sheet(wb, _("按单位类型"), _("单位类型"), queries.breakdown(user, "kind", region, **filters).rows)
    _breakdown_sheet(wb, _("按规模"), _("规模（从业人员）"), queries.breakdown(user, "size", region, **filters).rows)
    _blank_sheet(wb, user, sort, region, filters)
    return wb


def _blank_sheet(wb, user, sort, region, filters):
    ws = wb.create_sheet(_("空白点"))
    _header(ws, [_("单位名称"), _("统一社会信用代码"), _("所在区域"), _("单位类型"), _("行业门类"), _("从业人员数"),
                 _("党员数"), _("正式党员数"), _("工作覆盖"), _("建议"), _("理由"), _("可加入的联合党支部")],
            [30, 22, 14, 12, 18, 10, 8, 10, 8, 22, 60, 40])
    units = list(queries.blank_spot_units(user, sort, region, **filters))
    for start in range(0, len(units), CHUNK):
        chunk = units[start:start + CHUNK]
        recs = recommend_units(chunk, user)
        for u in chunk:
            rec = recs[u.pk]
            candidates = "；".join(
                _("%(name)s（%(d).1f公里）") % {"name": c.name, "d": c.distance_km} if c.distance_km is not None else c.name
                for c in rec.candidates
            )
            append(ws, [
                u.name, u.credit_code, u.region.name, u.get_kind_display(), SECTIONS.get(u.industry_section, ""),
                u.employees, u.members_count, u.formal_count, _("是") if u.work_covered else _("否"),
                rec.title, rec.reason, candidates,
            ])


def workbook_bytes(user, **kwargs) -> bytes:
    buffer = io.BytesIO()
    build_workbook(user, **kwargs).save(buffer)
    return buffer.getvalue()
