import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


from dangjian.demo.accounts import DemoMissing, ensure_accounts
from dangjian.demo.generator import DemoConflict, generate
from dangjian.demo.profiles import PROFILES, get_profile


def _url(host: str, port: int) -> str:
    local = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{local}]:{port}/" if ":" in local else f"http://{local}:{port}/"


class Progress:
    """One line per phase and per 10% step, on stderr (the data-generation phases can take a while)."""

    def __init__(self, stream):
        self.stream, self.label, self.decile, self.started = stream, None, -1, time.perf_counter()

    def __call__(self, label, done, total):
        decile = 10 if total <= 0 else min(10, done * 10 // total)
        if label != self.label:
            self.label, self.decile = label, -1
        if decile > self.decile:
            self.decile = decile
            self.stream.write(f"    {label} {decile * 10:3d}%  ({time.perf_counter() - self.started:.1f}s)")


class Command(BaseCommand):
    @property
    def help(self):  # evaluated when the parser is built, in the active language
        return _("生成演示区县数据（梁平或涪陵）、创建各角色的演示账号，然后启动网站。重复运行不会重复生成数据。")

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="liangping",
                            help=_("演示区县：liangping（梁平，约1100家单位）或 fuling（涪陵，2万余家单位，用于性能测试）"))
        parser.add_argument("--no-serve", action="store_true", help=_("只生成数据和账号，不启动网站"))
        parser.add_argument("--host", default="127.0.0.1", help=_("监听地址，默认 127.0.0.1"))
        parser.add_argument("--port", type=int, default=8000, help=_("端口，默认 8000"))
        parser.add_argument("--seed", type=int, default=2026, help=_("随机种子，相同种子生成相同数据，默认 2026"))

    def step(self, n, text):
        self.stderr.write(f"[{n}/4] {text}")

    def handle(self, *args, profile, no_serve, host, port, seed, **options):
        if not 0 < port < 65536:
            raise CommandError(_("端口应在 1–65535 之间，当前为 %(port)d。") % {"port": port})
        self.step(1, _("检查并更新数据库结构……"))
        call_command("migrate", interactive=False, verbosity=0)
        self.step(2, _("生成演示区县“%(name)s”……") % {"name": get_profile(profile).district})
        try:
            summary = generate(profile, seed=seed, progress=Progress(self.stderr))
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        if summary["created"]:
            self.stderr.write(_("    已生成，用时 %(s).1f 秒。") % {"s": summary["seconds"]})
        else:
            self.stderr.write(_("    演示区县已存在，跳过生成（数据未改动）。"))
        self.step(3, _("创建或重置演示账号……"))
        try:
            logins = ensure_accounts(profile)
        except DemoMissing as exc:
            raise CommandError(str(exc)) from exc
        text = self.describe(summary, logins, host, port, serving=not no_serve)
        if no_serve:
            self.stdout.write(text)
            return
        self.step(4, _("启动网站……"))
        from dangjian.core.serving import serve

        if serve(host, port, banner=text, any_host=True, out=self.stdout):
            raise CommandError(_("服务异常停止。"))

    def describe(self, summary, logins, host, port, serving):
        lines = [
            _("演示区县：%(name)s。区划名称真实，单位、党组织、党员均为虚构。") % {"name": summary["district"]},
            _("  镇街 %(towns)d 个，单位 %(units)d 家（在营 %(op)d 家），党组织 %(orgs)d 个，党员 %(members)d 名，"
              "组织覆盖率 %(rate)s%%") % {
                "towns": summary["towns"], "units": summary["units"], "op": summary["operating_units"],
                "orgs": summary["organizations"], "members": summary["members"], "rate": summary["coverage_rate"]},
            _("  近一年的组织生活会议 %(meetings)d 场（含参会、补学记录），学习内容、推送和积分") % {
                "meetings": summary["meetings"]},
            _("  服务人员 %(officers)d 名，近一年企业诉求 %(requests)d 件（含办理记录和满意度评价）") % {
                "officers": summary["officers"], "requests": summary["requests"]},
            _("  %(units)d 家企业分为 %(groups)d 个党建联动组，需求资源对接成交 %(deals)d 笔") % {
                "units": summary["grouped_units"], "groups": summary["link_groups"], "deals": summary["deals"]},
            "",
            _("访问地址：%(url)s") % {"url": _url(host, port)} if serving
            else _("网站未启动；运行 dangjian serve 启动后访问 %(url)s") % {"url": _url(host, port)},
            _("演示账号（密码均为 %(password)s）：") % {"password": logins[0]["password"]},
        ]
        width = max(len(login["username"]) for login in logins) + 2
        for login in logins:
            lines.append(f"  {login['username']:<{width}}{login['role']} — {login['where']}")
        return "\n".join(lines) + "\n"
