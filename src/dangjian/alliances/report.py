"""Joint building as an Excel workbook: needs and resources, deals, and pairings with their checklist."""
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.core.cells import append
from dangjian.alliances.models import SixAction
from dangjian.core.reports import XLSX_TYPE, bold_row


def workbook(items, deals, pairs) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("需求和资源"))
    bold_row(ws, [_("类型"), _("标题"), _("类别"), _("发布单位"), _("数量"), _("有效期至"), _("联系人"), _("说明")])
    for i in items:
        append(ws, [i.get_kind_display(), i.title, i.get_category_display(), i.unit.name, i.quantity,
                    i.valid_until.isoformat(), i.contact, i.description])
    ws = wb.create_sheet(_("对接成交"))
    bold_row(ws, [_("成交日期"), _("需求"), _("需求单位"), _("资源"), _("资源单位"), _("金额（万元）"), _("说明")])
    for d in deals:
        append(ws, [d.date.isoformat(), d.need.title, d.need.unit.name, d.resource.title, d.resource.unit.name,
                    float(d.value), d.note])
    ws = wb.create_sheet(_("结对共建"))
    bold_row(ws, [_("类型"), _("结对双方"), _("开始日期"), *[str(label) for _c, label in SixAction.choices], _("成效")])
    for p in pairs:
        done = {a.action: a.date.isoformat() for a in p.actions.all()}
        append(ws, [p.get_kind_display(), str(p), p.start.isoformat(),
                    *[done.get(code, "") for code in SixAction.values], p.outcome])
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="alliances-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
