"""Enterprise requests as an Excel workbook (the filtered queue, one row per request)."""
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.core.cells import append
from dangjian.core.reports import XLSX_TYPE, bold_row


def requests_xlsx(rows) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("企业诉求"))
    bold_row(ws, [_("编号"), _("单位"), _("类别"), _("标题"), _("来源"), _("状态"), _("承办部门"), _("联系服务人员"),
               _("提交时间"), _("办理时限"), _("答复时间"), _("办结时间"), _("满意度评分"), _("评价")])

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for r in rows.iterator(chunk_size=2000):
        append(ws, [r.pk, r.unit.name, r.get_category_display(), r.title, r.get_channel_display(),
                    r.get_state_display(), r.department.name if r.department else "",
                    r.officer.name if r.officer else "", when(r.submitted_at),
                    r.deadline.isoformat() if r.deadline else "", when(r.replied_at), when(r.closed_at),
                    r.rating or "", r.rating_comment])
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="requests-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
