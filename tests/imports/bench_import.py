"""Benchmark: import N members from a generated .xlsx through `dangjian import` (not part of the test run).

    .venv/bin/python -m tests.imports.bench_import [ROWS]      # default 60000

Uses a fresh SQLite database in a temporary data directory, one region and one branch, and a
file written like a user's: dates as date cells, ID numbers as text, every template column.
Prints the overall rate (read + validate + commit), which the brief requires to be >= 3000 rows/s.
"""
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path


def write_members_file(path: Path, rows: int, org_name: str) -> None:
    from openpyxl import Workbook

    from dangjian.core.validators import make_citizen_id
    from dangjian.imports.entities.members import SPEC

    wb = Workbook()
    ws = wb.active
    ws.title = SPEC.sheet
    ws.append(SPEC.headers)
    base = dt.date(1950, 1, 1)
    for i in range(rows):
        birth = base + dt.timedelta(days=i % 14000)
        male = i % 2 == 0
        sequence = (i // 14000) * 2 + (1 if male else 2)
        ws.append([
            f"党员{i:05d}", "男" if male else "女", make_citizen_id("110101", birth, sequence), "汉族", birth,
            "大学本科", "正式党员", org_name, dt.date(2010, 7, 1), dt.date(2011, 7, 1), "职员",
            f"139{i:08d}", "北京市东城区", "重庆市梁平区", "正常", "否", "", 10, "2024-05",
        ])
    wb.save(path)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 60_000
    data_dir = tempfile.mkdtemp(prefix="dangjian-bench-")
    os.environ["DANGJIAN_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dangjian.members.models import Member
    from dangjian.organizations.models import Organization
    from dangjian.regions.models import Region

    call_command("migrate", verbosity=0)
    district = Region.objects.add_root(instance=Region(name="梁平区", kind="district", code="500155", code_year=2023))
    Organization.objects.add_root(instance=Organization(name="压测党支部", kind="branch", region=district))
    path = Path(tempfile.gettempdir()) / f"dangjian-bench-members-{rows}.xlsx"  # reused between runs
    if not path.exists():
        started = time.monotonic()
        write_members_file(path, rows, "压测党支部")
        print(f"generated {rows} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - started:.1f}s")
    started, cpu = time.monotonic(), time.process_time()
    call_command("import_data", "members", str(path))
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    assert Member.objects.count() == rows
    print(f"imported {rows} members in {elapsed:.1f}s: {rows / elapsed:.0f} rows/s overall (read + validate + commit); "
          f"main process CPU {cpu:.1f}s, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
