"""The `dangjian` console script: one entry point that dispatches to Django management commands.

    dangjian demo | serve | import | export | coverage   -> the matching management command
    dangjian manage <command> ...                       -> any manage.py command

Each sub-command's own --help is the management command's, so this module never needs to
know their arguments. The UI language comes from DANGJIAN_LANG, else LANG (zh-hans unless
it starts with "en").
"""
import os
import sys

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# sub-command -> (management command, one-line description). None = passthrough to manage.py.
SUBCOMMANDS = {
    "demo": ("demo", _("生成演示数据、创建演示账号并启动网站")),
    "serve": ("serve", _("启动网站服务（gunicorn）和后台任务进程")),
    "import": ("import_data", _("从 Excel 文件导入区域、单位、党组织、党员等数据")),
    "export": ("export_data", _("把数据导出为 Excel 文件")),
    "coverage": ("coverage", _("计算“两个覆盖”统计并输出空白点")),
    "manage": (None, _("运行任意 Django 管理命令（如 migrate、createsuperuser）")),
}


def ui_language(environ=None) -> str:
    """The language code for messages: zh-hans by default, en when asked for."""
    environ = os.environ if environ is None else environ
    value = environ.get("DANGJIAN_LANG") or environ.get("LANG") or ""
    return "en" if value.strip().lower().startswith("en") else "zh-hans"


def _help_text() -> str:
    width = max(len(name) for name in SUBCOMMANDS) + 2
    lines = [
        str(_("用法：dangjian <命令> [参数...]")),
        "",
        str(_("智慧党建平台命令行工具。")),
        "",
        str(_("命令：")),
    ]
    lines += [f"  {name:<{width}}{description}" for name, (_cmd, description) in SUBCOMMANDS.items()]
    lines += [
        "",
        str(_("运行“dangjian <命令> --help”查看该命令的参数。")),
        str(_("环境变量：DATABASE_URL、DANGJIAN_DATA_DIR、DANGJIAN_LANG（zh-hans 或 en）等，见 README。")),
    ]
    return "\n".join(lines)


def _run_management_command(name: str, command: str, args: list[str]) -> int:
    from django.core.management import get_commands, load_command_class

    app = get_commands().get(command)
    if app is None:
        sys.stderr.write(
            str(_("dangjian：命令“%(name)s”在本安装中不可用（找不到管理命令 %(command)s）。\n"))
            % {"name": name, "command": command}
        )
        return 2
    cmd = app if not isinstance(app, str) else load_command_class(app, command)
    if isinstance(cmd.help, Promise):  # argparse needs a str; translate now, in the active language
        cmd.help = str(cmd.help)
    # argv[0:2] become the usage line ("dangjian import ..."); Django parses argv[2:],
    # prints CommandError on stderr and exits 1 itself.
    cmd.run_from_argv(["dangjian", name, *args])
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django
    from django.utils import translation

    django.setup()
    translation.activate(ui_language())

    if not args or args[0] in ("-h", "--help"):
        print(_help_text())
        return 0
    if args[0] == "help":  # `dangjian help import` == `dangjian import --help`
        if len(args) == 1:
            print(_help_text())
            return 0
        args = [args[1], "--help"]
    if args[0] == "--version":
        from importlib.metadata import version

        print(f"dangjian {version('dangjian')}")
        return 0

    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        sys.stderr.write(
            str(_("dangjian：未知命令“%(name)s”。可用命令：%(names)s。运行 dangjian --help 查看说明。\n"))
            % {"name": name, "names": "、".join(SUBCOMMANDS)}
        )
        return 2
    command = SUBCOMMANDS[name][0]
    if command is None:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["dangjian manage", *rest])
        return 0
    return _run_management_command(name, command, rest)


if __name__ == "__main__":
    sys.exit(main())
