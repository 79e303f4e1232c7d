"""dangjian import regions|units|organizations|members FILE.xlsx [--dry-run] [--user USERNAME]"""
import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.core.scoping import get_scope
from dangjian.imports import pipeline
from dangjian.imports.console import ProgressPrinter, get_user, issue_table
from dangjian.imports.entities import IMPORTERS, spec_for
from dangjian.imports.reader import FileProblem


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "从 Excel（.xlsx）文件导入区域、单位、党组织或党员。先校验全部行，有任何错误就列出“行 列 错误”并退出，"
            "不写入任何数据；全部正确时在一个事务中写入。"
        )

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=list(IMPORTERS), help=_("导入的数据类型：regions（区域）、units（单位）、organizations（党组织）、members（党员）"))
        parser.add_argument("file", help=_("Excel 文件（.xlsx），格式见网页上可下载的导入模板"))
        parser.add_argument("--dry-run", action="store_true", help=_("只校验，不写入数据库"))
        parser.add_argument("--user", help=_("以该用户的身份导入（只能导入其管理范围内的数据）；不填时为系统操作员，不限范围"))

    def handle(self, *args, entity, file, dry_run, user, **options):
        actor = get_user(user)
        if actor is not None and get_scope(actor, for_write=True).empty:
            raise CommandError(_("用户“%(u)s”没有可写入的管理范围，不能导入数据") % {"u": user})
        if not os.path.isfile(file):
            raise CommandError(_("找不到文件“%(path)s”") % {"path": file})
        spec = spec_for(entity)
        progress = ProgressPrinter(self.stderr)
        started = time.monotonic()
        try:
            outcome = pipeline.validate(entity, file, actor, progress)
        except FileProblem as exc:
            raise CommandError(_("无法导入“%(path)s”：%(problem)s") % {"path": file, "problem": exc}) from None
        finally:
            progress.close()
        for warning in outcome.warnings:
            self.stderr.write(_("提示：%(w)s") % {"w": warning})
        if not outcome.ok:
            self.stderr.write(issue_table(outcome.issues))
            raise CommandError(
                _("共%(total)d行，发现%(n)d处错误（涉及%(rows)d行），未写入任何数据。请修改文件后重新导入。")
                % {"total": outcome.total, "n": len(outcome.issues), "rows": outcome.total - outcome.valid_rows}
            )
        if dry_run:
            self.stdout.write(
                _("校验通过：%(n)d行%(entity)s数据都可以导入（--dry-run，未写入数据库）。")
                % {"n": outcome.total, "entity": spec.label}
            )
            return
        try:
            count = pipeline.commit(outcome, actor, os.path.basename(file), progress=progress)
        finally:
            progress.close()
        elapsed = time.monotonic() - started
        self.stdout.write(
            _("已导入%(n)d条%(entity)s记录（用时%(s).1f秒，每秒%(rate)d行）。")
            % {"n": count, "entity": spec.label, "s": elapsed, "rate": count / elapsed if elapsed else count}
        )
