"""dangjian export regions|units|organizations|members [--format xlsx|csv|json] [-o FILE] [--user USERNAME] [--unmask]"""
import sys

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.imports import exporting
from dangjian.imports.console import get_user


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "导出区域、单位、党组织或党员，列与导入模板相同（导出的文件可以再导入）。不加 --user 时导出整个数据库"
            "（系统操作员用）；加 --user 时只导出该用户管理范围内的数据。党员的身份证号码和电话默认脱敏。"
        )

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=list(exporting.MODELS), help=_("导出的数据类型：regions、units、organizations、members"))
        parser.add_argument("--format", default="xlsx", choices=exporting.FORMATS, help=_("文件格式，默认 xlsx"))
        parser.add_argument("-o", "--output",
                            help=_("输出文件；不填时在当前目录生成“类型-日期时间.格式”；csv 和 json 可用 - 表示标准输出"))
        parser.add_argument("--user", help=_("以该用户的身份导出（只含其管理范围内的数据）"))
        parser.add_argument("--unmask", action="store_true",
                            help=_("导出完整的身份证号码和电话（需要相应权限；会记入审计日志）"))

    def handle(self, *args, entity, format, output, user, unmask, **options):
        actor = get_user(user)
        if output == "-" and format == "xlsx":
            raise CommandError(_("xlsx 文件不能输出到标准输出，请用 -o 指定文件名"))
        try:
            result = exporting.prepare(entity, format, actor, unmask=unmask, operator=actor is None)
        except PermissionDenied as exc:
            raise CommandError(str(exc) or _("没有导出权限")) from None
        path = output or result.filename()
        try:
            if path == "-":
                chunks = exporting.csv_chunks(result) if format == "csv" else exporting.json_chunks(result)
                for chunk in chunks:
                    sys.stdout.write(chunk)
                sys.stdout.flush()
                return
            if format == "xlsx":
                with open(path, "wb") as fh:
                    exporting.write_xlsx(result, fh)
            else:
                chunks = exporting.csv_chunks(result) if format == "csv" else exporting.json_chunks(result)
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    for chunk in chunks:
                        fh.write(chunk)
        except OSError as exc:
            raise CommandError(_("无法写入文件“%(path)s”：%(reason)s") % {"path": path, "reason": exc.strerror or exc}) from None
        self.stderr.write(
            _("已导出%(n)d条%(entity)s记录到 %(path)s%(masked)s")
            % {"n": result.count, "entity": result.spec.label, "path": path,
               "masked": _("（身份证号码和电话已脱敏）") if entity == "members" and not result.context.unmask else ""}
        )
