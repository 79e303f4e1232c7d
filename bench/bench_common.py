"""Shared helpers of the benchmarks: paths, statistics, machine facts, the result record."""
import datetime as dt
import os
import platform
import sqlite3
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DATA_DIR = OUT_DIR / "data"
PROFILE = "fuling"
SEED = 2026
ADMIN = "qu_admin"


def median(values) -> float:
    return statistics.median(values)


def p95(values) -> float:
    """Nearest-rank 95th percentile (with few samples this is close to the maximum)."""
    ordered = sorted(values)
    rank = max(1, -(-95 * len(ordered) // 100))  # ceil(0.95 n)
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Stopwatch:
    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started


def paired(ours, baseline, repeat: int, warm_up: int = 2) -> tuple[list[float], list[float]]:
    """Seconds of ``repeat`` calls of ``ours`` and of ``baseline``, taken in turns after ``warm_up`` untimed
    rounds, so that the shared machine's noise falls on both alike."""
    for _ in range(warm_up):
        ours()
        baseline()
    times, base = [], []
    for _ in range(repeat):
        with Stopwatch() as s:
            baseline()
        base.append(s.seconds)
        with Stopwatch() as s:
            ours()
        times.append(s.seconds)
    return times, base


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def machine() -> dict:
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(terse=True),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


@dataclass
class Figure:
    """One benchmark figure: the measured value, its baseline, and how it compares with its target."""

    name: str
    value: str  # the measured figure, formatted
    baseline: str  # the baseline figure, formatted ("" when the target is absolute)
    ratio: str  # e.g. "3.2× baseline" or "45% of baseline"
    target: str
    passed: bool
    details: dict = field(default_factory=dict)

    def row(self) -> list[str]:
        return [self.name, self.value, self.baseline or "—", self.ratio or "—", self.target,
                "PASS" if self.passed else "FAIL"]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Section:
    """What one benchmark (coverage, api, import) found: figures plus markdown notes (profiles etc.)."""

    key: str
    title: str
    figures: list[Figure]
    method: str  # how it was measured (markdown)
    notes: str = ""  # findings, profiles (markdown)
    machine: dict = field(default_factory=dict)


def run_sql(queries) -> list:
    """Run a baseline's hand-written queries one after the other through ``connection.cursor()``; their rows."""
    from django.db import connection

    results = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results
