"""`dangjian import`: messages, exit codes, --dry-run, progress, and all-or-nothing even under kill -9."""
import datetime as dt
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dangjian.members.models import Member
from tests.imports.conftest import member_row, write_xlsx

DANGJIAN = Path(sys.executable).with_name("dangjian")


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_errors_are_printed_as_a_table_and_nothing_is_written(world, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(), member_row(人员类别="党员"), member_row(入党日期="明天")])
    before = Member.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现2处错误（涉及2行），未写入任何数据"):
        call_command("import_data", "members", str(path), stderr=err)
    table = err.getvalue().splitlines()
    header = next(i for i, line in enumerate(table) if line.startswith("行"))
    assert table[header].split() == ["行", "列", "错误"]
    assert table[header + 2].split()[:2] == ["3", "人员类别"]
    assert table[header + 3].split()[:2] == ["4", "入党日期"]
    assert Member.objects.count() == before


def test_dry_run_validates_only_then_import_writes(world, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(姓名="命令行一"), member_row(姓名="命令行二")])
    before = Member.objects.count()
    out, err = run_import("members", str(path), "--dry-run")
    assert "校验通过：2行党员数据都可以导入（--dry-run，未写入数据库）" in out
    assert "校验数据：100%（2/2 行）" in err  # not a terminal: one line per step, no carriage returns
    assert "\r" not in err
    assert Member.objects.count() == before
    out, err = run_import("members", str(path), "--user", "shuanggui")
    assert "已导入2条党员记录" in out and "写入数据库：100%（2/2 行）" in err
    assert Member.objects.count() == before + 2


def test_user_scope_applies_on_the_command_line(world, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(所在党支部="丁机械有限公司党支部")])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "members", str(path), "--user", "shuanggui", stderr=err)
    assert "“丁机械有限公司党支部”不在您的管理范围内" in err.getvalue()
    with pytest.raises(CommandError, match="找不到用户“nobody”"):
        run_import("members", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="没有可写入的管理范围"):
        run_import("members", str(path), "--user", "zhidao")


def test_missing_and_non_xlsx_files(world, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run_import("members", str(tmp_path / "nope.xlsx"))
    text = tmp_path / "list.xlsx"
    text.write_text("姓名,身份证号码\n")
    with pytest.raises(CommandError, match="文件不是 Excel（.xlsx）格式"):
        run_import("members", str(text))


def test_tty_progress_updates_one_line_in_place():
    from dangjian.imports.console import ProgressPrinter
    from dangjian.imports.models import Phase

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    printer = ProgressPrinter(screen, interval=0)
    for done in (100, 200, 300):
        printer(Phase.CHECKING, done, 300)
    assert screen.getvalue() == "\r校验数据： 33%（100/300 行）\r校验数据： 66%（200/300 行）\r校验数据：100%（300/300 行）\n"


# --- the real command in a subprocess, on a file-based SQLite database -------------------------

SEED = """
import django
django.setup()
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
district = Region.objects.add_root(instance=Region(name="梁平区", kind="district", code="500155", code_year=2023))
Organization.objects.add_root(instance=Organization(name="甲印务有限公司党支部", kind="branch", region=district))
"""


def cli(data_dir, *args, **kw):
    env = {**os.environ, "DANGJIAN_DATA_DIR": str(data_dir), "DANGJIAN_LANG": "zh-hans",
           "DJANGO_SETTINGS_MODULE": "dangjian.settings", "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    return subprocess.run([str(DANGJIAN), *args], env=env, capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli-data")
    assert cli(data_dir, "manage", "migrate", "--verbosity", "0").returncode == 0
    env = {**os.environ, "DANGJIAN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "dangjian.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, timeout=300)
    return data_dir


def count(data_dir, sql="SELECT count(*) FROM members_member") -> int:
    with sqlite3.connect(data_dir / "dangjian.sqlite3") as db:
        return db.execute(sql).fetchone()[0]


def test_exit_codes_and_messages_without_traceback(cli_db, tmp_path):
    missing = cli(cli_db, "import", "members", str(tmp_path / "none.xlsx"))
    assert missing.returncode == 1 and "找不到文件" in missing.stderr and "Traceback" not in missing.stderr
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    old = cli(cli_db, "import", "members", str(fake))
    assert old.returncode == 1 and "旧版 Excel（.xls）" in old.stderr and "Traceback" not in old.stderr
    bad = write_xlsx(tmp_path / "bad.xlsx", [member_row(), member_row(身份证号码="123")])
    result = cli(cli_db, "import", "members", str(bad))
    assert result.returncode == 1 and "身份证号码应为18位，当前为3位" in result.stderr
    assert count(cli_db) == 0
    good = write_xlsx(tmp_path / "good.xlsx", [member_row(), member_row()])
    dry = cli(cli_db, "import", "members", str(good), "--dry-run")
    assert dry.returncode == 0 and count(cli_db) == 0
    done = cli(cli_db, "import", "members", str(good))
    assert done.returncode == 0 and "已导入2条党员记录" in done.stdout and count(cli_db) == 2


def big_members_file(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    from dangjian.core.validators import make_citizen_id
    from dangjian.imports.entities.members import SPEC

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SPEC.sheet)
    ws.append(["姓名", "身份证号码", "人员类别", "所在党支部", "入党日期"])
    for i in range(rows):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=i % 9000)
        ws.append([f"批量{i}", make_citizen_id("110101", birth, 500 + i // 9000), "正式党员", "甲印务有限公司党支部",
                   dt.date(2010, 7, 1)])
    wb.save(path)
    return path


def test_kill_9_during_commit_leaves_nothing_written(cli_db, tmp_path):
    path = big_members_file(tmp_path / "big.xlsx", 12_000)
    before = count(cli_db)
    audit_before = count(cli_db, "SELECT count(*) FROM core_auditlog WHERE action = 'import'")
    env = {**os.environ, "DANGJIAN_DATA_DIR": str(cli_db), "DANGJIAN_LANG": "zh-hans", "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([str(DANGJIAN), "import", "members", str(path)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    seen = []
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith("写入数据库") and "100%" not in line:
                os.kill(proc.pid, signal.SIGKILL)  # mid-commit: some batches inserted, transaction open
                break
    finally:
        proc.wait(timeout=60)
    assert any(line.startswith("写入数据库") for line in seen), "".join(seen)
    assert proc.returncode == -signal.SIGKILL
    assert "已导入" not in proc.stdout.read()
    assert count(cli_db) == before
    assert count(cli_db, "SELECT count(*) FROM core_auditlog WHERE action = 'import'") == audit_before
    with sqlite3.connect(cli_db / "dangjian.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
