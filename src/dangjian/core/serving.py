"""Run the platform: gunicorn for the web pages and API, plus the django-tasks database
worker for background work (imports, reminders, snapshots). Used by `dangjian serve`
and `dangjian demo`.

Both run as child processes in their own process groups, so a Ctrl-C reaches only this
parent, which then asks each child once to stop (SIGTERM: gunicorn finishes the requests
in flight, the worker finishes its current task). A second Ctrl-C stops them at once.
If either child dies, the other is stopped too and serve() returns non-zero.
"""
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from dangjian.core import schedule

STOP_TIMEOUT = 30  # seconds a child gets to finish before it is killed
START_TIMEOUT = 120  # seconds gunicorn gets to start listening (slow, busy boxes)


class _Stop(Exception):
    """Raised in the parent when it is asked to stop (SIGTERM, SIGHUP)."""


def _child_setup():  # runs in the child between fork and exec
    os.setsid()
    try:  # Linux: die with the parent even if it is killed outright
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


def _own_addresses() -> list[str]:
    """This machine's name and addresses, best effort (no interface library): what LAN users type."""
    names = [socket.gethostname()]
    try:
        names += socket.gethostbyname_ex(names[0])[2]
    except OSError:
        pass
    try:  # the address of the default route; connecting a UDP socket sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("10.255.255.255", 1))
            names.append(sock.getsockname()[0])
    except OSError:
        pass
    return names


def allowed_hosts(host: str, any_host: bool = False) -> str:
    """DANGJIAN_ALLOWED_HOSTS for the children when the operator has not set it: the local names and the bound
    address, or on all addresses also this machine's; "*" only for the demo (any_host)."""
    if any_host:
        return "*"
    names = list(LOCAL_NAMES)
    if host in ("", "0.0.0.0", "::"):
        names += _own_addresses()
    else:
        names.append(f"[{host}]" if ":" in host else host)
    return ",".join(dict.fromkeys(n for n in names if n))


def _child_env(hosts: str = ",".join(LOCAL_NAMES)) -> dict:
    env = os.environ.copy()
    env.setdefault("DANGJIAN_ALLOWED_HOSTS", hosts)
    env["DJANGO_SETTINGS_MODULE"] = "dangjian.settings"
    # Children must use this process's data dir and database even if run from elsewhere.
    env["DANGJIAN_DATA_DIR"] = str(settings.DATA_DIR)
    env.pop("DANGJIAN_DEBUG", None)  # never serve with DEBUG on
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _local_address(host: str) -> str:
    """Where this machine reaches a server bound to `host`."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def _url(host: str, port: int) -> str:
    local = _local_address(host)
    return f"http://[{local}]:{port}/" if ":" in local else f"http://{local}:{port}/"


def check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise CommandError(
                _("无法在 %(address)s 上启动服务：%(reason)s。请用 --port 换一个端口或 --host 换一个地址。")
                % {"address": _bind_address(host, port), "reason": exc.strerror or exc}
            ) from exc


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((_local_address(host), port), timeout=1):
            return True
    except OSError:
        return False


def web_command(host: str, port: int, workers: int, access_log: bool = False) -> list[str]:
    command = [
        sys.executable, "-m", "gunicorn", "dangjian.wsgi:application",
        "--bind", _bind_address(host, port),
        "--workers", str(workers),
        "--worker-class", "gthread", "--threads", "4",
        "--timeout", "120", "--graceful-timeout", "10",
        "--no-control-socket",  # gunicorn's default socket in ~/.gunicorn is shared by all instances
        "--error-logfile", "-", "--log-level", "warning",
    ]
    if access_log:
        command += ["--access-logfile", "-"]
    return command


def task_worker_command() -> list[str]:
    return [sys.executable, "-m", "django", "db_worker", "--no-reload", "--verbosity", "0",
            "--settings", "dangjian.settings"]


def _start(command: list[str], hosts: str) -> subprocess.Popen:
    return subprocess.Popen(command, env=_child_env(hosts), preexec_fn=_child_setup)


def _stop(children: dict[str, subprocess.Popen]) -> None:
    """Ask each running child to stop, wait, then kill what is left (at once on a second Ctrl-C)."""
    for proc in children.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    try:
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
    except (KeyboardInterrupt, _Stop):
        pass
    for proc in children.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 2, banner: str | None = None,
          *, task_worker: bool = True, access_log: bool = False, any_host: bool = False, out=None) -> int:
    """Serve until Ctrl-C or SIGTERM. Prints the address (and `banner`) once the site answers.

    Returns 0 after a requested stop, 1 if a child process failed. ``any_host``: answer to any Host header
    (the demo) unless DANGJIAN_ALLOWED_HOSTS says otherwise.
    """
    out = out or sys.stdout
    if workers < 1:
        raise CommandError(_("--workers 至少为 1。"))
    check_port_free(host, port)
    # WhiteNoise serves from the finders; an existing STATIC_ROOT keeps it from warning at start-up.
    os.makedirs(settings.STATIC_ROOT, exist_ok=True)

    def ask_to_stop(signum, frame):
        raise _Stop()

    previous = {sig: signal.signal(sig, ask_to_stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    children: dict[str, subprocess.Popen] = {}
    hosts = allowed_hosts(host, any_host)
    try:
        children["web"] = _start(web_command(host, port, workers, access_log), hosts)
        if task_worker:
            children["tasks"] = _start(task_worker_command(), hosts)

        deadline = time.monotonic() + START_TIMEOUT
        while not _listening(host, port):
            if any(p.poll() is not None for p in children.values()) or time.monotonic() > deadline:
                out.write(_("服务启动失败，请查看上面的错误信息。") + "\n")
                return 1
            time.sleep(0.2)

        out.write("\n" + _("智慧党建平台已启动：%(url)s") % {"url": _url(host, port)} + "\n")
        if host in ("", "0.0.0.0", "::"):
            out.write(_("（正在监听本机所有网络地址，局域网内可用本机 IP 访问）") + "\n")
            if not any_host and not os.environ.get("DANGJIAN_ALLOWED_HOSTS"):
                out.write(_("（若用其他域名或地址访问，请在环境变量 DANGJIAN_ALLOWED_HOSTS 中列出）") + "\n")
        if task_worker:
            out.write(_("后台任务进程已启动（导入、提醒、统计快照在后台执行）。") + "\n")
        if banner:
            out.write("\n" + banner.rstrip() + "\n")
        out.write("\n" + _("按 Ctrl-C 停止服务。") + "\n")
        out.flush()

        next_daily = time.monotonic()
        while True:
            if task_worker and time.monotonic() >= next_daily:
                schedule.enqueue_daily()
                next_daily += schedule.DAY_SECONDS
            for name, proc in children.items():
                if proc.poll() is not None:
                    out.write(
                        _("子进程 %(name)s 意外退出（退出码 %(code)s），正在停止服务。")
                        % {"name": name, "code": proc.returncode} + "\n"
                    )
                    return 1
            time.sleep(0.5)
    except (KeyboardInterrupt, _Stop):
        out.write("\n" + _("正在停止服务……") + "\n")
        out.flush()
        return 0
    finally:
        _stop(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
