from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from dangjian.core.serving import serve


def pending_migrations() -> int:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    @property
    def help(self):  # translated when the parser is built, in the language the CLI activated
        return _("启动网站服务（gunicorn，关闭调试模式）和后台任务进程，按 Ctrl-C 停止。")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1",
                            help=_("监听地址，默认 127.0.0.1；0.0.0.0 表示允许局域网访问"))
        parser.add_argument("--port", type=int, default=8000, help=_("端口，默认 8000"))
        parser.add_argument("--workers", type=int, default=2, help=_("网站进程数，默认 2"))
        parser.add_argument("--no-task-worker", action="store_true",
                            help=_("不启动后台任务进程（已在别处运行 db_worker 时使用）"))
        parser.add_argument("--access-log", action="store_true", help=_("在终端输出每个请求的访问日志"))

    def handle(self, *args, host, port, workers, no_task_worker, access_log, **options):
        pending = pending_migrations()
        if pending:
            raise CommandError(
                _("数据库还有 %(count)d 个迁移未执行，请先运行：dangjian manage migrate") % {"count": pending}
            )
        code = serve(host, port, workers, task_worker=not no_task_worker, access_log=access_log,
                     out=self.stdout)
        if code:
            raise CommandError(_("服务异常停止。"))
