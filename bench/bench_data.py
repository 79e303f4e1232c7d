"""The benchmark's own data dir (bench/out/data) with the fuling demo district in it.

``prepare_environment`` must run before Django is imported: it points DANGJIAN_DATA_DIR at
bench/out/data and drops variables that would send the benchmark elsewhere (DATABASE_URL,
DANGJIAN_DEBUG: debug mode keeps every query in memory and would distort the timings).
"""
import os
import shutil
import sqlite3
from pathlib import Path

from bench_common import ADMIN, DATA_DIR, PROFILE, SEED, Stopwatch, log


def prepare_environment(data_dir: Path = DATA_DIR, settings: str = "dangjian.settings") -> None:
    os.environ["DANGJIAN_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    # In-process benchmarks request through Django's test client, whose Host is "testserver".
    os.environ["DANGJIAN_ALLOWED_HOSTS"] = "localhost,127.0.0.1,testserver"
    for name in ("DATABASE_URL", "DANGJIAN_DEBUG", "DANGJIAN_SECRET_KEY", "DANGJIAN_PII_KEY", "DANGJIAN_RULES_FILE"):
        os.environ.pop(name, None)


def database_file(data_dir: Path = DATA_DIR) -> Path:
    return data_dir / "dangjian.sqlite3"


def build(reuse: bool) -> dict:
    """Migrate and build the fuling district (kept with ``reuse`` when present). Returns its summary."""
    if not reuse and DATA_DIR.exists():
        log(f"removing the previous benchmark data in {DATA_DIR} (use --reuse to keep it)")
        shutil.rmtree(DATA_DIR)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    prepare_environment()

    import django

    django.setup()
    from django.core.management import call_command

    from dangjian.demo import ensure_accounts, generate

    with Stopwatch() as migrate_time:
        call_command("migrate", interactive=False, verbosity=0)
    last = {}

    def progress(label, done, total):
        step = 10 if total <= 0 else done * 10 // total
        if last.get(label) != step:
            last[label] = step
            log(f"    {label} {step * 10:3d}%")

    with Stopwatch() as build_time:
        summary = generate(PROFILE, seed=SEED, progress=progress)
    ensure_accounts(PROFILE)
    summary = {**summary, "migrate_seconds": round(migrate_time.seconds, 1),
               "build_seconds": round(build_time.seconds, 1)}
    log(f"data: {'built' if summary['created'] else 'reused'} {summary['units']} units, "
        f"{summary['organizations']} organisations, {summary['members']} members "
        f"({summary['build_seconds']} s)")
    return summary


def admin_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=ADMIN)


def snapshot_database(target: Path) -> None:
    """A consistent copy of the benchmark database (SQLite's online backup: safe with WAL)."""
    from django.db import connections

    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(database_file())
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
