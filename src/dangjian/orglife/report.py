"""The compliance report as an Excel workbook: a summary by kind, one row per child, and one row per
organisation with held/owed for each kind (and what is still pending), rates and what is overdue."""
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from dangjian.core.cells import append
from dangjian.core.reports import XLSX_TYPE, bold_row
from dangjian.orglife.models import MeetingKind

def _rate(ws, value, pending=0):
    if value is None:  # nothing due yet: "待开" when something is still to come, not 0%
        return _("待开") if pending else "—"
    cell = WriteOnlyCell(ws, value=round(value, 4))
    cell.number_format = "0.0%"
    return cell


def _cell(f) -> str:
    """held/owed, and what is still to come: "1/2（待开1）"; empty where the kind is not owed."""
    if not f.orgs:
        return ""
    text = f"{f.held}/{f.due}"
    return text + _("（待开%(n)d）") % {"n": f.pending} if f.pending else text


def compliance_workbook(result, today) -> HttpResponse:
    wb = Workbook(write_only=True)
    kinds = [k for k in MeetingKind.values if result.total.kinds[k].orgs]

    ws = wb.create_sheet(_("汇总"))
    append(ws, [_("组织生活落实情况"), result.node.obj.name, result.period.label, _("截至 %(d)s") % {"d": today.isoformat()}])
    bold_row(ws, [_("会议类型"), _("应召开"), _("已召开"), _("落实率"), _("逾期次数"), _("逾期组织"), _("待开")])
    for k in kinds:
        f = result.total.kinds[k]
        append(ws, [str(MeetingKind(k).label), f.due, f.held, _rate(ws, f.rate, f.pending), f.overdue, f.behind, f.pending])
    t = result.total
    append(ws, [])
    append(ws, [_("到会率"), _rate(ws, t.attendance_rate), _("补学率"), _rate(ws, t.makeup_rate), _("召开会议"), t.meetings])

    ws = wb.create_sheet(_("按下级"))
    bold_row(ws, [_("名称"), _("党组织"), _("会议落实率"), _("到会率"), _("补学率"), _("逾期组织"), _("待开")])
    for child, f in result.children:
        append(ws, [child.name if child else _("本级"), f.orgs, _rate(ws, f.rate, f.pending), _rate(ws, f.attendance_rate),
                    _rate(ws, f.makeup_rate), f.behind, f.pending])

    ws = wb.create_sheet(_("各党组织"))
    held_owed = _("已开/应开")
    bold_row(ws, [_("党组织"), _("所在区域"), *[f"{MeetingKind(k).label}（{held_owed}）" for k in kinds],
               _("到会率"), _("补学率"), _("逾期未开")])
    for row in result.rows:
        f = row.figures
        cells = [_cell(f.kinds[k]) for k in kinds]
        overdue = "、".join(f"{MeetingKind(k).label}×{f.kinds[k].overdue}" for k in row.overdue_kinds)
        append(ws, [row.name, row.region_name, *cells, _rate(ws, f.attendance_rate), _rate(ws, f.makeup_rate), overdue])

    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    name = f"compliance-{result.period.key}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
