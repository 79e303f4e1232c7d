"""(a) The coverage dashboard (GET /coverage/ as the district admin) vs the hand-written SQL for its data.

The baseline is what the page must ask of the database, written by hand and run through
``connection.cursor()``, two queries per run:

1. the cube: the district's units grouped by town × industry section × unit kind × size band,
   with the operating units and their organisational (covered), own-organisation, joint and work
   coverage counts plus the closed / suspended units left out of the denominator; each unit's
   flags come from LEFT JOINs to per-unit aggregates of its active organisations and open work
   links. The summary, the region / industry / kind / size tables and the formation chart are
   roll-ups of it;
2. the first page of blank spots: operating units without an active organisation, largest first
   (employees, then members), with their members / formal members in normal standing, their
   work-coverage flag and their town's name, LIMIT one page.

Before timing, both are checked against the dashboard's own figures (summary, the four breakdowns,
the blank-spot page), so both compute the same thing. What the baseline leaves out is small and
the page's own business: the session and role look-ups, the recommendations for the page's units,
the monthly trend, the region filter list and the HTML. The page is requested through Django's
test Client (the full middleware stack: sessions, auth, CSRF, CSP, axes), interleaved with the SQL
runs so that noise hits both alike.
"""
from bench_common import Figure, Section, log, median, ms, p95, paired, run_sql
from bench_profile import capture_queries, costs_table, profile, query_costs

PAGE = "/coverage/"
PAGE_TARGET = 0.300  # seconds
RATIO_TARGET = 2.0
BLANK_PER_PAGE = 15  # coverage/views.py BLANK_PER_PAGE: the blank spots on the page


def district_of(user):
    from dangjian.core.scoping import get_scope
    from dangjian.regions.models import Region

    paths = get_scope(user).region_paths
    if len(paths) != 1:
        raise SystemExit(f"expected the district admin to have one region, got {paths!r}")
    return Region.objects.get(path=paths[0])


def _tables():
    from dangjian.coverage.models import WorkLink
    from dangjian.members.models import Member
    from dangjian.organizations.models import Organization, OrgUnit
    from dangjian.regions.models import Region
    from dangjian.units.models import Unit

    return {m.__name__: m._meta.db_table for m in (Unit, Region, OrgUnit, Organization, WorkLink, Member)}


def _open_links_where(kinds) -> str:
    return f"""kind IN ({", ".join(["%s"] * len(kinds))}) AND start <= %s AND ("end" IS NULL OR "end" >= %s)"""


def cube_sql(district) -> tuple[str, list]:
    """The district's units by town × industry × kind × size band with their coverage counts (one query)."""
    from dangjian.core.rules import rule
    from dangjian.coverage.queries import today
    from dangjian.organizations.models import Formation, OrgStatus
    from dangjian.regions.models import Region
    from dangjian.units.models import SIZE_BAND_BOUNDS, UnitStatus

    kinds = list(rule("coverage.work_link_kinds"))
    day = today()
    t = _tables()
    bands = " ".join(f"WHEN u.employees <= {high} THEN '{code}'" for code, _low, high in SIZE_BAND_BOUNDS if high is not None)
    last_band = SIZE_BAND_BOUNDS[-1][0]
    sql = f"""
        SELECT substr(r.path, 1, %s) AS town, u.industry_section, u.kind,
               CASE {bands} ELSE '{last_band}' END AS band,
               COUNT(*) FILTER (WHERE u.status = %s) AS units,
               COUNT(*) FILTER (WHERE u.status = %s AND c.level IS NOT NULL) AS covered,
               COUNT(*) FILTER (WHERE u.status = %s AND c.level = 3) AS own,
               COUNT(*) FILTER (WHERE u.status = %s AND c.level = 2) AS joint,
               COUNT(*) FILTER (WHERE u.status = %s AND (c.level IS NOT NULL OR w.unit_id IS NOT NULL)) AS work,
               COUNT(*) FILTER (WHERE u.status = %s) AS closed,
               COUNT(*) FILTER (WHERE u.status = %s) AS suspended
        FROM {t['Unit']} u
        JOIN {t['Region']} r ON r.id = u.region_id
        LEFT JOIN (
            SELECT ou.unit_id,
                   MAX(CASE o.formation WHEN %s THEN 3 WHEN %s THEN 2 ELSE 1 END) AS level
            FROM {t['OrgUnit']} ou JOIN {t['Organization']} o ON o.id = ou.organization_id
            WHERE o.status = %s
            GROUP BY ou.unit_id
        ) c ON c.unit_id = u.id
        LEFT JOIN (SELECT DISTINCT unit_id FROM {t['WorkLink']} WHERE {_open_links_where(kinds)}) w ON w.unit_id = u.id
        WHERE r.path LIKE %s
        GROUP BY town, u.industry_section, u.kind, band
    """
    op = UnitStatus.OPERATING
    params = [len(district.path) + Region.steplen, op, op, op, op, op, UnitStatus.CLOSED, UnitStatus.SUSPENDED,
              Formation.OWN, Formation.JOINT, OrgStatus.ACTIVE, *kinds, day, day, district.path + "%"]
    return sql, params


def blank_sql(district) -> tuple[str, list]:
    """The first page of blank spots, largest first, with member counts and the work-coverage flag."""
    from dangjian.core.rules import rule
    from dangjian.coverage.queries import today
    from dangjian.members.models import Category, MemberStatus
    from dangjian.organizations.models import OrgStatus
    from dangjian.units.models import UnitStatus

    kinds = list(rule("coverage.work_link_kinds"))
    day = today()
    t = _tables()
    # The page first (the member count is needed for the order), then the formal members and the
    # work-coverage flag of its units only.
    sql = f"""
        SELECT p.id, p.name, p.employees, p.town, p.members,
               (SELECT COUNT(*) FROM {t['Member']} m WHERE m.employer_id = p.id AND m.status = %s
                  AND m.category = %s) AS formal,
               EXISTS (SELECT 1 FROM {t['WorkLink']} WHERE unit_id = p.id AND {_open_links_where(kinds)}) AS work
        FROM (
            SELECT u.id, u.name, u.employees, r.name AS town,
                   (SELECT COUNT(*) FROM {t['Member']} m WHERE m.employer_id = u.id AND m.status = %s) AS members
            FROM {t['Unit']} u
            JOIN {t['Region']} r ON r.id = u.region_id
            WHERE r.path LIKE %s AND u.status = %s
              AND NOT EXISTS (SELECT 1 FROM {t['OrgUnit']} ou JOIN {t['Organization']} o ON o.id = ou.organization_id
                              WHERE ou.unit_id = u.id AND o.status = %s)
            ORDER BY u.employees DESC, members DESC, u.name, u.id
            LIMIT %s
        ) p
        ORDER BY p.employees DESC, p.members DESC, p.name, p.id
    """
    params = [MemberStatus.NORMAL, Category.FORMAL, *kinds, day, day, MemberStatus.NORMAL, district.path + "%",
              UnitStatus.OPERATING, OrgStatus.ACTIVE, BLANK_PER_PAGE]
    return sql, params


def cross_check(user, results) -> list[str]:
    """Differences between the hand-written queries and what the dashboard computes."""
    from dangjian.coverage import queries

    cube_rows, blank_rows = results
    problems = []
    names = ("units", "covered", "own", "joint", "work", "closed", "suspended")
    theirs_summary = queries.summary(user)
    ours_summary = [sum(r[4 + i] for r in cube_rows) for i in range(len(names))]
    for name, value in zip(names, ours_summary):
        if getattr(theirs_summary, name) != value:
            problems.append(f"summary {name}: SQL {value} vs dashboard {getattr(theirs_summary, name)}")
    for by, index in (("region", 0), ("industry", 1), ("kind", 2), ("size", 3)):
        ours: dict = {}
        for row in cube_rows:
            acc = ours.setdefault(row[index], [0] * 5)
            for i in range(5):
                acc[i] += row[4 + i]
        theirs = {r.key: [r.units, r.covered, r.own, r.joint, r.work] for r in queries.breakdown(user, by).rows}
        for k in sorted(set(ours) | set(theirs)):
            if ours.get(k, [0] * 5) != theirs.get(k, [0] * 5):
                problems.append(f"{by} {k}: SQL {ours.get(k)} vs dashboard {theirs.get(k)}")
    page = queries.blank_spots(user, "employees", None, 1, BLANK_PER_PAGE, region_rows=[])["page"]
    theirs_blank = [(u.pk, u.name, u.employees, u.region.name, u.members_count, u.formal_count, bool(u.work_covered))
                    for u in page.object_list]
    ours_blank = [(*r[:6], bool(r[6])) for r in blank_rows]
    if ours_blank != theirs_blank:
        problems.append(f"blank spots: SQL {ours_blank[:2]}… vs dashboard {theirs_blank[:2]}…")
    return problems


def run(repeat: int = 15) -> Section:
    from bench_data import admin_user
    from django.db import connection, reset_queries
    from django.test import Client

    user = admin_user()
    district = district_of(user)
    baseline = [cube_sql(district), blank_sql(district)]
    results = run_sql(baseline)
    problems = cross_check(user, results)
    if problems:
        log("WARNING: the baseline SQL and the dashboard disagree:\n  " + "\n  ".join(problems[:10]))
    client = Client()
    client.force_login(user)
    def page():
        response = client.get(PAGE)
        if response.status_code != 200:
            raise SystemExit(f"GET {PAGE} answered {response.status_code}")
        reset_queries()
        return response

    size = len(page().content)
    # Three warm-up rounds: templates, translations, SQLite page cache.
    page_times, sql_times = paired(page, lambda: run_sql(baseline), repeat, warm_up=3)
    log(f"coverage: page median {ms(median(page_times))}, SQL median {ms(median(sql_times))}")

    page_med, sql_med = median(page_times), median(sql_times)
    ratio = page_med / sql_med
    figures = [
        Figure("coverage page (median)", ms(page_med), "", "", f"< {PAGE_TARGET * 1000:.0f} ms",
               page_med < PAGE_TARGET, {"p95": p95(page_times), "samples": page_times, "bytes": size}),
        Figure("coverage page vs its raw SQL (cube + blank-spot page)", f"{ms(page_med)} (p95 {ms(p95(page_times))})",
               f"{ms(sql_med)} (p95 {ms(p95(sql_times))})", f"{ratio:.1f}×", f"≤ {RATIO_TARGET:.0f}×",
               ratio <= RATIO_TARGET, {"sql_samples": sql_times}),
    ]
    method = (
        f"`GET {PAGE}` through Django's test Client, logged in as `qu_admin` (district {district.name}, "
        f"{size // 1024} KiB of HTML), {repeat} timed requests after 3 warm-up ones, each paired with one run of "
        f"the baseline: the hand-written SQL for the data the page shows, run through `connection.cursor()` — "
        f"(1) the cube: the district's units grouped by town × industry section × unit kind × size band with "
        f"operating / covered / own / joint / work counts and the closed / suspended units ({len(results[0])} groups; "
        f"each unit's flags from LEFT JOINs to per-unit aggregates of its active organisations and open work links), "
        f"of which the summary and the four breakdowns are roll-ups; (2) the first page of blank spots "
        f"({BLANK_PER_PAGE} uncovered operating units, largest first, with member / formal member counts and the "
        f"work-coverage flag). Left out of the baseline: sessions and roles, the recommendations for the page's "
        f"units, the trend, the region list and the HTML. "
        + ("Its numbers equal the dashboard's (summary, the four breakdowns and the blank-spot page)." if not problems
           else f"**It disagrees with the dashboard:** {'; '.join(problems[:5])}.")
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
