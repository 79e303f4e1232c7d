"""`dangjian coverage`: coverage figures (两个覆盖) and blank spots on the command line.

Runs as the operator (the whole database) unless --user scopes it to that account's view.
"""
import json
import unicodedata
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.coverage import queries
from dangjian.coverage.actions import backfill_snapshots
from dangjian.coverage.export import workbook_bytes
from dangjian.regions.models import Region


class Operator:
    """The CLI operator: an account-less caller whose scope is everything (see core.scoping)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None
    username = "operator"


def text_width(text: str) -> int:
    """Display columns of a string: wide and full-width characters (Chinese) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def pad(text, width: int, right: bool = False) -> str:
    text = str(text)
    fill = " " * max(0, width - text_width(text))
    return fill + text if right else text + fill


def table(headers: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    """An aligned plain-text table; columns in ``numeric`` are right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(text_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(pad(c, widths[i], right=i in numeric) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def rate_text(rate) -> str:
    return f"{rate.display} ({rate.numerator}/{rate.denominator})"


class Command(BaseCommand):
    @property
    def help(self):
        return _("计算“两个覆盖”统计（组织覆盖率、单独组建率、工作覆盖率）并列出空白点及组建建议。")

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE", help=_("统计用区划代码（或区域全称），默认全部区域"))
        parser.add_argument("--by", choices=queries.DIMENSIONS, default="region",
                            help=_("分组方式：region 区域、industry 行业、kind 单位类型、size 规模；默认 region"))
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table",
                            help=_("输出格式：table 表格（默认）、json、xlsx（需 -o）"))
        parser.add_argument("-o", "--output", metavar="FILE", help=_("写入文件而不是屏幕"))
        parser.add_argument("--user", metavar="USERNAME", help=_("按该账号的管理范围统计（默认：全部数据）"))
        parser.add_argument("--sort", choices=queries.BLANK_SORTS, default="employees",
                            help=_("空白点排序：employees 从业人员、members 党员数"))
        parser.add_argument("--limit", type=int, default=10, help=_("列出的空白点数量，默认 10"))
        parser.add_argument("--backfill", type=int, metavar="MONTHS",
                            help=_("生成最近 MONTHS 个月（含本月）的月度快照后退出"))

    def handle(self, *args, region=None, by="region", format="table", output=None, user=None, sort="employees",
               limit=10, backfill=None, **options):
        if backfill is not None:
            try:
                months = backfill_snapshots(backfill)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            self.stdout.write(_("已生成 %(n)d 个月的快照：%(first)s 至 %(last)s") % {
                "n": len(months), "first": f"{months[0]:%Y-%m}", "last": f"{months[-1]:%Y-%m}"})
            return
        actor = self._user(user) if user else Operator()
        region_obj = self._region(region, actor, user) if region else None
        if format == "xlsx":
            if not output:
                raise CommandError(_("xlsx 格式需要用 -o 指定输出文件，例如：dangjian coverage --format xlsx -o 覆盖率.xlsx"))
            Path(output).write_bytes(workbook_bytes(actor, region=region_obj, sort=sort))
            self.stdout.write(_("已导出到 %(file)s") % {"file": output})
            return
        summary = queries.summary(actor, region=region_obj)
        result = queries.breakdown(actor, by, region_obj)
        blank = queries.blank_spots(actor, sort, region_obj, 1, max(1, limit), region_rows=[])["page"].object_list
        render = self._json if format == "json" else self._table
        text = render(summary, result, blank, region_obj, sort)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(_("已写入 %(file)s") % {"file": output})
        else:
            self.stdout.write(text)

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(_("用户“%(u)s”不存在或已停用") % {"u": username}) from None

    def _region(self, code, actor, username):
        code = code.strip()
        matches = list(Region.objects.filter(code=code)[:2]) or list(Region.objects.filter(name=code)[:2])
        if not matches:
            raise CommandError(_("区域“%(code)s”不存在：请输入统计用区划代码（如 500155101）或区域全称") % {"code": code})
        if len(matches) > 1:
            raise CommandError(_("有多个区域叫“%(code)s”，请改用统计用区划代码") % {"code": code})
        if username and not Region.objects.scoped(actor).filter(pk=matches[0].pk).exists():
            raise CommandError(_("区域“%(name)s”不在用户“%(u)s”的管理范围内") % {"name": matches[0].name, "u": username})
        return matches[0]

    def _table(self, summary, result, blank, region, sort) -> str:
        scope = region.name if region else _("全部区域")
        lines = [
            _("两个覆盖统计 · %(scope)s（截至 %(day)s）") % {"scope": scope, "day": timezone.localdate().isoformat()},
            _("在营单位（分母）：%(n)d（不计入：注销/吊销 %(c)d，停业 %(s)d）") % {
                "n": summary.units, "c": summary.closed, "s": summary.suspended},
            _("组织覆盖率：%(r)s") % {"r": rate_text(summary.coverage_rate)},
            _("单独组建率：%(r)s") % {"r": rate_text(summary.own_rate)},
            _("工作覆盖率：%(r)s") % {"r": rate_text(summary.work_rate)},
            "",
        ]
        first = {"region": _("区域"), "industry": _("行业门类"), "kind": _("单位类型"), "size": _("规模")}[result.by]
        headers = [first, _("在营单位"), _("组织覆盖率"), _("单独组建率"), _("工作覆盖率"), _("未覆盖")]
        rows = [[r.label, r.units, rate_text(r.coverage_rate), rate_text(r.own_rate), rate_text(r.work_rate), r.uncovered]
                for r in result.rows]
        total = result.total
        rows.append([_("合计"), total.units, rate_text(total.coverage_rate), rate_text(total.own_rate),
                     rate_text(total.work_rate), total.uncovered])
        lines += [table(headers, rows, numeric={1, 2, 3, 4, 5}), ""]
        order = _("按从业人员") if sort == "employees" else _("按党员数")
        lines.append(_("空白点（前 %(n)d 家，%(order)s）") % {"n": len(blank), "order": order})
        if blank:
            lines.append(table(
                [_("单位"), _("所在区域"), _("从业人员"), _("党员（正式）"), _("建议")],
                [[u.name, u.region.name, u.employees, f"{u.members_count}（{u.formal_count}）", u.recommendation.title]
                 for u in blank],
                numeric={2, 3},
            ))
        else:
            lines.append(_("没有空白点。"))
        return "\n".join(lines)

    def _json(self, summary, result, blank, region, sort) -> str:
        data = {
            "region": None if region is None else {"id": region.pk, "name": region.name, "code": region.code},
            "as_of": timezone.localdate(),
            "summary": summary.as_dict(),
            "breakdown": {"by": result.by, "rows": [r.as_dict() for r in result.rows], "total": result.total.as_dict()},
            "blank_spots": [
                {"id": u.pk, "name": u.name, "region": u.region.name, "employees": u.employees,
                 "members": u.members_count, "formal_members": u.formal_count, "work_covered": u.work_covered,
                 "recommendation": u.recommendation.as_dict()}
                for u in blank
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
