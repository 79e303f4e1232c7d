"""Where a request's time goes: the cost of each SQL query it ran, and the Python profile.

SQLite does much of a query's work while rows are fetched (a GROUP BY is computed as the
sorted rows stream out), so the time Django records for ``execute`` understates it. Each
captured SELECT is therefore run again here, fetching every row, to get its full cost.
"""
import cProfile
import io
import pstats
import time
import traceback
from contextlib import contextmanager

from bench_common import REPO_ROOT

SOURCE = str(REPO_ROOT / "src" / "dangjian")


def _origin() -> str:
    """The project frames (outermost first) that issued the current query, e.g. views.py:63 dashboard."""
    stack = traceback.extract_stack()[:-3]
    frames = [f for f in stack if f.filename.startswith(SOURCE)]
    picked = frames[:1] + frames[-2:] if len(frames) > 3 else frames
    where = " → ".join(f"{f.filename[len(SOURCE) + 1:]}:{f.lineno} {f.name}" for f in picked)
    # A queryset evaluated by a library (e.g. ninja's @paginate): name the library frame that ran it.
    library = [f for f in stack if "site-packages" in f.filename and "/django/" not in f.filename]
    if library and (not frames or stack.index(library[-1]) > stack.index(frames[-1])):
        f = library[-1]
        where += (" → " if where else "") + f"{f.filename.split('site-packages/')[-1]}:{f.lineno} {f.name}"
    return where


@contextmanager
def capture_queries(connection):
    captured = []

    def wrapper(execute, sql, params, many, context):
        captured.append({"sql": sql, "params": params, "origin": _origin()})
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield captured


def query_costs(connection, captured, repeat: int = 2) -> list[dict]:
    """Full cost (execute + fetch all rows, best of ``repeat``) of each captured SELECT, slowest first."""
    costs = []
    with connection.cursor() as cursor:
        for query in captured:
            if not query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            best = None
            for _ in range(repeat):
                started = time.perf_counter()
                cursor.execute(query["sql"], query["params"])
                rows = cursor.fetchall()
                took = time.perf_counter() - started
                best = took if best is None else min(best, took)
            costs.append({"seconds": best, "rows": len(rows), "origin": query["origin"],
                          "sql": " ".join(query["sql"].split())[:160]})
    return sorted(costs, key=lambda c: -c["seconds"])


def run_profiled(fn) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        fn()
    finally:
        profiler.disable()
    return pstats.Stats(profiler, stream=io.StringIO())


def format_stats(stats: pstats.Stats, *, top: int = 25, only: str = SOURCE, by: str = "cumulative") -> str:
    """The ``top`` entries by cumulative (or ``by="own"``) time whose file is under ``only`` ("" = all)."""
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        if only and not filename.startswith(only):
            continue
        where = filename[len(only) + 1:] if only else filename.replace(str(REPO_ROOT) + "/", "")
        rows.append((cumtime, tottime, calls, f"{where}:{line} {name}"))
    rows.sort(key=(lambda r: r[1]) if by == "own" else (lambda r: r[0]), reverse=True)
    total = max((s[3] for s in stats.stats.values()), default=0.0)
    lines = [f"total profiled: {total:.3f} s; sorted by {by} time", "cumulative  own       calls  function"]
    lines += [f"{cum:8.3f}s {own:8.3f}s {calls:6d}  {where}" for cum, own, calls, where in rows[:top]]
    return "\n".join(lines)


def profile(fn, *, top: int = 25, only: str = SOURCE, by: str = "cumulative") -> str:
    """cProfile ``fn()`` and format the result (see format_stats)."""
    return format_stats(run_profiled(fn), top=top, only=only, by=by)


def costs_table(costs: list[dict], top: int = 10) -> str:
    lines = ["| query cost | rows | issued by | SQL (start) |", "|---:|---:|---|---|"]
    for c in costs[:top]:
        sql = c["sql"].replace("|", "\\|")
        lines.append(f"| {c['seconds'] * 1000:.1f} ms | {c['rows']} | {c['origin'] or '(framework)'} | `{sql}` |")
    return "\n".join(lines)
