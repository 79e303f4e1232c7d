"""(e) Service to enterprises at Fuling's size.

1. Assignment suggestion from scratch: every operating unit of the district (~20,000) and every officer (~1,700)
   with no current load, through ``services.solver.suggest`` (the solver behind the coverage page), in a child
   process so that its peak memory is measured alone. Baseline: reading the units and officers it needs from
   the database (the same child process, before solving). Also the coverage page's own proposal for the gaps.
2. The request dashboard (``services.queries.dashboard`` for the district admin) vs the hand-written SQL it needs:
   the year's requests with their department, officer and town, and the count per month × category.
"""
import json
import os
import subprocess
import sys

from bench_common import BENCH_DIR, DATA_DIR, Figure, Section, log, median, ms, p95, paired, run_sql

SOLVE_TARGET = 30.0  # seconds
MEMORY_TARGET = 2 * 1024  # MiB
RATIO_TARGET = 2.0

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
from bench_data import prepare_environment
prepare_environment()
import django
django.setup()
from dangjian.core.rules import rule
from dangjian.services import solver
from dangjian.services.actions import officer_limit
from dangjian.services.models import Officer
from dangjian.services.queries import officer_places
from dangjian.units.models import Unit, UnitStatus

t0 = time.perf_counter()
units = [solver.Place(pk, lng, lat) for pk, lng, lat in Unit.objects.filter(
    status=UnitStatus.OPERATING, lng__isnull=False).values_list("pk", "lng", "lat")]
officers = list(Officer.objects.filter(active=True).select_related("region"))
places = officer_places(officers)
t1 = time.perf_counter()
out = solver.suggest(units, [solver.Place(o.pk, *places[o.pk]) for o in officers if o.pk in places], {},
                     {o.pk: officer_limit(o.kind) for o in officers}, float(rule("services.balance_km_per_unit")),
                     int(rule("services.candidate_spots")))
t2 = time.perf_counter()
loads = {}
for s in out:
    loads[s.officer_id] = loads.get(s.officer_id, 0) + 1
over = sum(1 for o in officers if loads.get(o.pk, 0) > officer_limit(o.kind))
print(json.dumps({"units": len(units), "officers": len(officers), "assigned": len(out), "over_limit": over,
                  "load_seconds": t1 - t0, "solve_seconds": t2 - t1,
                  "median_km": sorted(s.km for s in out)[len(out) // 2] if out else None,
                  "max_load": max(loads.values()) if loads else 0,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def solve_from_scratch() -> dict:
    env = {**os.environ, "DANGJIAN_DATA_DIR": str(DATA_DIR)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(BENCH_DIR)], env=env, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"the solver's child process failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def dashboard_sql(district, since) -> list[tuple[str, list]]:
    from django.db import connection

    from dangjian.regions.models import Region
    from dangjian.services.models import Department, Officer, Request
    from dangjian.units.models import Unit

    r, u, region, d, o = (m._meta.db_table for m in (Request, Unit, Region, Department, Officer))
    rows = (f"""SELECT q.submitted_at, q.replied_at, q.closed_at, q.deadline, q.rating, q.state, d.name, o.name,
                       g.path, q.category
                FROM {r} q JOIN {u} u ON u.id = q.unit_id JOIN {region} g ON g.id = u.region_id
                LEFT JOIN {d} d ON d.id = q.department_id LEFT JOIN {o} o ON o.id = q.officer_id
                WHERE g.path LIKE %s AND q.submitted_at >= %s""",
            [district.path + "%", connection.ops.adapt_datetimefield_value(since)])
    towns = (f"SELECT path, name FROM {region} WHERE path LIKE %s", [district.path + "%"])
    return [rows, towns]




def bench_dashboard(repeat: int) -> tuple[list[Figure], str]:
    import datetime as dt

    from bench_data import admin_user
    from django.utils import timezone

    from dangjian.services import queries
    from cov_bench import district_of

    user = admin_user()
    district = district_of(user)
    today = timezone.localdate()
    since = (today.replace(day=1) - dt.timedelta(days=334)).replace(day=1)
    since_at = dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_current_timezone())
    baseline = dashboard_sql(district, since_at)
    ours = queries.dashboard(user, since, today)
    theirs = run_sql(baseline)
    problems = []
    if ours.total.requests != len(theirs[0]):
        problems.append(f"requests: SQL {len(theirs[0])} vs dashboard {ours.total.requests}")
    if sum(sum(v) for v in ours.volume.values()) != len(theirs[0]):
        problems.append("monthly volume differs")
    if problems:
        log("WARNING: " + "; ".join(problems))
    t_ours, t_sql = paired(lambda: queries.dashboard(user, since, today), lambda: run_sql(baseline), repeat)
    ratio = median(t_ours) / median(t_sql)
    log(f"services: dashboard {ms(median(t_ours))}, SQL {ms(median(t_sql))}")
    figure = Figure("request dashboard vs its raw SQL", f"{ms(median(t_ours))} (p95 {ms(p95(t_ours))})",
                    f"{ms(median(t_sql))} (p95 {ms(p95(t_sql))})", f"{ratio:.1f}×", f"≤ {RATIO_TARGET:.0f}×",
                    ratio <= RATIO_TARGET, {"samples": t_ours, "sql_samples": t_sql})
    method = (
        f"`services.queries.dashboard` for `qu_admin` ({ours.total.requests:,} requests since {since}), in-process, "
        f"{repeat} calls each paired with one run of the baseline: the hand-written SQL for its data through "
        f"`connection.cursor()` (the requests with their department, officer and town; the town names). "
        + ("Their totals agree. " if not problems else f"**They disagree:** {'; '.join(problems)}. ")
        + "The dashboard's own work on top, in Python: the volume per month × category and the on-time, "
          "satisfaction and median figures per department, officer and town."
    )
    return [figure], method


def run(repeat: int = 15) -> Section:
    log("services: solving an assignment for every unit from scratch (child process) ...")
    solved = solve_from_scratch()
    log(f"services: {solved}")
    total = solved["load_seconds"] + solved["solve_seconds"]
    figures = [
        Figure(f"assignment suggestion, {solved['units']:,} units × {solved['officers']:,} officers",
               f"{solved['solve_seconds']:.1f} s solve ({solved['assigned']:,} assigned, median {solved['median_km']} km, "
               f"max load {solved['max_load']}, {solved['over_limit']} officers over their limit)",
               f"{solved['load_seconds']:.1f} s reading the data", f"{solved['solve_seconds'] / solved['load_seconds']:.1f}×",
               f"< {SOLVE_TARGET:.0f} s in all", total < SOLVE_TARGET and solved["over_limit"] == 0, solved),
        Figure("assignment suggestion, peak memory", f"{solved['maxrss_mib']:.0f} MiB", "", "",
               f"< {MEMORY_TARGET} MiB", solved["maxrss_mib"] < MEMORY_TARGET, {}),
    ]
    dash_figures, dash_method = bench_dashboard(repeat)
    method = (
        "`services.solver.suggest` for every operating unit of the district and every active officer, all loads "
        "at zero (a re-plan from scratch), with the rule set's limits (instructor 5, service officer 20, resident "
        "officer 3, first secretary 3), balance weight and the 5 nearest officer spots per unit; run in a child process "
        "(peak RSS of that process, Python and the data included). Baseline: the same process reading the units "
        "and officers and placing the officers.\n\n" + dash_method
    )
    return Section("services", "Service to enterprises", figures + dash_figures, method, "")
