"""(a) The coverage dashboard (GET /coverage/ as the district admin) vs one hand-written SQL aggregate.

The baseline is the least a dashboard must ask of the database: the district's operating units
with their organisational (covered), own-organisation and work coverage counts, grouped by
town, in ONE query written by hand and run through ``connection.cursor()``. Before timing, its
numbers are checked against the dashboard's own region breakdown, so both compute the same thing.
The page is requested through Django's test Client (the full middleware stack: sessions, auth,
CSRF, CSP, axes), interleaved with the SQL runs so that noise hits both alike.
"""
from bench_common import Figure, Section, Stopwatch, log, median, ms, p95
from bench_profile import capture_queries, costs_table, profile, query_costs

PAGE = "/coverage/"
PAGE_TARGET = 0.300  # seconds
RATIO_TARGET = 2.0


def district_of(user):
    from dangjian.core.scoping import get_scope
    from dangjian.regions.models import Region

    paths = get_scope(user).region_paths
    if len(paths) != 1:
        raise SystemExit(f"expected the district admin to have one region, got {paths!r}")
    return Region.objects.get(path=paths[0])


def baseline_sql(district) -> tuple[str, list]:
    """covered / own / work counts of the district's operating units, grouped by town (one query)."""
    from dangjian.core.rules import rule
    from dangjian.coverage.models import WorkLink
    from dangjian.coverage.queries import today
    from dangjian.organizations.models import Formation, Organization, OrgStatus, OrgUnit
    from dangjian.regions.models import Region
    from dangjian.units.models import Unit, UnitStatus

    kinds = list(rule("coverage.work_link_kinds"))
    day = today()
    t = {m.__name__: m._meta.db_table for m in (Unit, Region, OrgUnit, Organization, WorkLink)}
    sql = f"""
        SELECT substr(r.path, 1, %s) AS town,
               COUNT(*) AS units,
               SUM(CASE WHEN c.unit_id IS NOT NULL THEN 1 ELSE 0 END) AS covered,
               SUM(COALESCE(c.own, 0)) AS own,
               SUM(CASE WHEN c.unit_id IS NOT NULL OR w.unit_id IS NOT NULL THEN 1 ELSE 0 END) AS work
        FROM {t['Unit']} u
        JOIN {t['Region']} r ON r.id = u.region_id
        LEFT JOIN (
            SELECT ou.unit_id, MAX(CASE WHEN o.formation = %s THEN 1 ELSE 0 END) AS own
            FROM {t['OrgUnit']} ou JOIN {t['Organization']} o ON o.id = ou.organization_id
            WHERE o.status = %s
            GROUP BY ou.unit_id
        ) c ON c.unit_id = u.id
        LEFT JOIN (
            SELECT DISTINCT unit_id FROM {t['WorkLink']}
            WHERE kind IN ({", ".join(["%s"] * len(kinds))}) AND start <= %s AND ("end" IS NULL OR "end" >= %s)
        ) w ON w.unit_id = u.id
        WHERE r.path LIKE %s AND u.status = %s
        GROUP BY town
        ORDER BY town
    """
    params = [len(district.path) + Region.steplen, Formation.OWN, OrgStatus.ACTIVE, *kinds, day, day,
              district.path + "%", UnitStatus.OPERATING]
    return sql, params


def run_sql(sql, params) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def cross_check(user, rows) -> list[str]:
    """Differences between the hand-written query and the dashboard's own region breakdown."""
    from dangjian.coverage import queries

    breakdown = queries.breakdown(user, "region")
    theirs = {r.key: (r.units, r.covered, r.own, r.work) for r in breakdown.rows if r.key}
    ours = {town: tuple(values) for town, *values in rows}
    problems = [f"{k}: SQL {ours.get(k)} vs dashboard {theirs.get(k)}"
                for k in sorted(set(ours) | set(theirs)) if ours.get(k, (0, 0, 0, 0)) != theirs.get(k, (0, 0, 0, 0))]
    return problems


def run(repeat: int = 15) -> Section:
    from bench_data import admin_user
    from django.db import connection, reset_queries
    from django.test import Client

    user = admin_user()
    district = district_of(user)
    sql, params = baseline_sql(district)
    rows = run_sql(sql, params)
    problems = cross_check(user, rows)
    if problems:
        log("WARNING: the baseline SQL and the dashboard disagree:\n  " + "\n  ".join(problems[:10]))
    client = Client()
    client.force_login(user)
    size = 0
    for _ in range(3):  # warm-up: templates, translations, SQLite page cache
        response = client.get(PAGE)
        if response.status_code != 200:
            raise SystemExit(f"GET {PAGE} answered {response.status_code}")
        size = len(response.content)
        run_sql(sql, params)
    page_times, sql_times = [], []
    for i in range(repeat):
        with Stopwatch() as s:
            run_sql(sql, params)
        sql_times.append(s.seconds)
        with Stopwatch() as p:
            response = client.get(PAGE)
        assert response.status_code == 200, response.status_code
        page_times.append(p.seconds)
        reset_queries()
    log(f"coverage: page median {ms(median(page_times))}, SQL median {ms(median(sql_times))}")

    page_med, sql_med = median(page_times), median(sql_times)
    ratio = page_med / sql_med
    figures = [
        Figure("coverage page (median)", ms(page_med), "", "", f"< {PAGE_TARGET * 1000:.0f} ms",
               page_med < PAGE_TARGET, {"p95": p95(page_times), "samples": page_times, "bytes": size}),
        Figure("coverage page vs raw SQL", f"{ms(page_med)} (p95 {ms(p95(page_times))})",
               f"{ms(sql_med)} (p95 {ms(p95(sql_times))})", f"{ratio:.1f}×", f"≤ {RATIO_TARGET:.0f}×",
               ratio <= RATIO_TARGET, {"sql_samples": sql_times}),
    ]
    method = (
        f"`GET {PAGE}` through Django's test Client, logged in as `qu_admin` (district {district.name}, "
        f"{size // 1024} KiB of HTML), {repeat} timed requests after 3 warm-up ones, each paired with one run of "
        f"the baseline: a single hand-written SQL query (`connection.cursor()`) giving the district's operating "
        f"units and their covered / own / work counts grouped by town ({len(rows)} groups). "
        + ("Its numbers equal the dashboard's region breakdown." if not problems
           else f"**It disagrees with the dashboard's region breakdown:** {'; '.join(problems[:5])}.")
    )
    notes = ""
    if not all(f.passed for f in figures):
        notes = where_time_goes(client, connection, page_med)
    return Section("coverage", "Coverage dashboard", figures, method, notes)


def where_time_goes(client, connection, page_med) -> str:
    log("coverage: profiling the page ...")
    with capture_queries(connection) as captured:
        client.get(PAGE)
    costs = query_costs(connection, captured)
    total_sql = sum(c["seconds"] for c in costs)
    by_origin = {}
    for c in costs:
        key = c["origin"].split(" → ")[-1] if c["origin"] else "(framework)"
        by_origin[key] = by_origin.get(key, 0.0) + c["seconds"]
    ranked = sorted(by_origin.items(), key=lambda kv: -kv[1])
    origin_lines = "\n".join(f"| {k} | {v * 1000:.1f} ms |" for k, v in ranked)
    prof = profile(lambda: [client.get(PAGE) for _ in range(3)], top=22)
    return (
        f"**Where the time goes.** The page ran {len(captured)} queries. Run again on their own (fetching every row) "
        f"they cost {total_sql * 1000:.0f} ms together, of a {page_med * 1000:.0f} ms page; the rest is Python "
        f"(building the figures, recommendations, template rendering).\n\n"
        f"SQL time by the code that issued it:\n\n| code | SQL time |\n|---|---:|\n{origin_lines}\n\n"
        f"The slowest queries:\n\n{costs_table(costs, 8)}\n\n"
        f"Python profile of 3 page requests (project code only, cumulative time includes the SQL it waits for):\n\n"
        f"```\n{prof}\n```\n"
    )
