"""The `dangjian` console script and `dangjian serve`, run as a user would: in a subprocess."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from dangjian.cli import ui_language

DANGJIAN = Path(sys.executable).with_name("dangjian")  # the venv's console script


def cli_env(data_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DANGJIAN_LANG", "LANG")}
    env.update(DANGJIAN_DATA_DIR=str(data_dir), **extra)  # SQLite in a private data dir
    return env


def run(args, data_dir, timeout=120, **env):
    return subprocess.run([str(DANGJIAN), *args], env=cli_env(data_dir, **env), capture_output=True,
                          text=True, timeout=timeout)


def test_help_lists_every_subcommand_in_chinese(tmp_path):
    result = run(["--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "用法：dangjian <命令>" in result.stdout
    for name in ("demo", "serve", "import", "export", "coverage", "manage"):
        assert re.search(rf"^  {name}\s+\S", result.stdout, re.M), f"{name} missing from help"
    assert "启动网站服务" in result.stdout


def test_first_run_creates_private_secrets(tmp_path):
    run(["--help"], tmp_path)
    for name in ("secret_key", "pii_key"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
        assert len((tmp_path / name).read_text().strip()) >= 40


def test_unknown_command_exits_2_and_names_it(tmp_path):
    result = run(["frobnicate", "--now"], tmp_path)
    assert result.returncode == 2
    assert "frobnicate" in result.stderr
    assert "dangjian --help" in result.stderr
    assert result.stdout == ""


def test_subcommand_help_is_the_management_commands(tmp_path):
    result = run(["serve", "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: dangjian serve")
    assert "--workers" in result.stdout and "--port" in result.stdout
    assert "监听地址" in result.stdout


@pytest.mark.parametrize("name", ["demo", "serve", "import", "export", "coverage"])
def test_every_listed_subcommand_has_working_help(tmp_path, name):
    result = run([name, "--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: dangjian {name}")


def test_manage_passes_through_to_django(tmp_path):
    result = run(["manage", "check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_command_error_exits_1_with_message_on_stderr(tmp_path):
    # a fresh data dir has an empty database: serve refuses and says what to do
    result = run(["serve", "--port", "1"], tmp_path)
    assert result.returncode == 1
    assert "dangjian manage migrate" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, "zh-hans"),
        ({"LANG": "C.UTF-8"}, "zh-hans"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"DANGJIAN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"DANGJIAN_LANG": "zh-hans", "LANG": "en_GB.UTF-8"}, "zh-hans"),
    ],
)
def test_ui_language_from_environment(environ, expected):
    assert ui_language(environ) == expected


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].startswith("Z")


@pytest.fixture(scope="module")
def migrated_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("serve")
    result = run(["manage", "migrate", "-v", "0"], data_dir, timeout=300)
    assert result.returncode == 0, result.stderr
    return data_dir


def test_serve_runs_gunicorn_and_the_task_worker_and_stops_both(migrated_dir):
    port = _free_port()
    proc = subprocess.Popen([str(DANGJIAN), "serve", "--port", str(port), "--workers", "1"],
                            env=cli_env(migrated_dir, DANGJIAN_DEBUG="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl-C" in line:
                break
        output = "".join(lines)
        assert f"智慧党建平台已启动：http://127.0.0.1:{port}/" in output, output
        assert "后台任务进程已启动" in output

        base = f"http://127.0.0.1:{port}"
        login = requests.get(f"{base}/accounts/login/", timeout=60)
        assert login.status_code == 200 and "登录智慧党建平台" in login.text
        css = requests.get(f"{base}/static/vendor/tabler/css/tabler.min.css", timeout=60)
        assert css.status_code == 200 and len(css.content) > 100_000
        # DEBUG stays off even when the environment asks for it: no debug page with settings in it
        missing = requests.get(f"{base}/no-such-page/", timeout=60)
        assert missing.status_code == 404
        assert "DEBUG = True" not in missing.text and "Traceback" not in missing.text

        children = _children(proc.pid)
        commands = [_cmdline(pid) for pid in children]
        assert any("gunicorn" in c and "dangjian.wsgi:application" in c for c in commands), commands
        assert any("db_worker" in c for c in commands), commands
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rest, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, rest
    assert "正在停止服务" in rest
    assert not [pid for pid in children if _alive(pid)], "a child of serve outlived it"


def test_serve_refuses_a_port_in_use(migrated_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(["serve", "--port", str(port)], migrated_dir, timeout=60)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
