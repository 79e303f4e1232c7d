"""(d) Organisational life and learning at Fuling's size (a year of meetings, ~1.5 million attendance rows).

1. The district compliance roll-up (``orglife.compliance.rollup`` for the district admin and this year) vs the
   hand-written SQL it needs, run through ``connection.cursor()``: the district's active organisations with
   their region, one GROUP BY over the held meetings of the year (distinct months / quarters / years per
   organisation and kind, and the counters kept on each meeting), and the district's towns. The baseline's
   numbers are checked against the roll-up's before timing. Then the dashboard page itself, for the record.
2. "Today's study" (``/learning/today/``) for 50 members at once: 50 member accounts (created here once, bound
   to members of the district), each client thread with its own session, on the benchmark's gunicorn; the
   baseline is the bench-only bare view under the same 50 sessions.
"""
import datetime as dt
import http.client

from api_bench import BARE, Server, free_port, get, load
from bench_common import Figure, Section, Stopwatch, log, median, ms, p95, paired, run_sql

ROLLUP_TARGET = 1.0  # seconds
RATIO_TARGET = 2.0
PAGE = "/orglife/compliance/"
STUDY = "/learning/today/"
MEMBERS = 50
LATENCY_TARGET = 1.0  # seconds, median latency of today's study with 50 members at once
BENCH_USER = "bench_member_{:02d}"


def rollup_sql(district, today: dt.date) -> list[tuple[str, list]]:
    """The four queries the roll-up needs, written by hand for SQLite."""
    from dangjian.organizations.models import Organization, OrgStatus
    from dangjian.orglife.models import Meeting, MeetingKind, MeetingStatus
    from dangjian.orglife.periods import MONTH, QUARTER, YEAR, frequency, period_of
    from dangjian.regions.models import Region

    from dangjian.members.models import Member

    org, region, meeting, member = (m._meta.db_table for m in (Organization, Region, Meeting, Member))
    by_freq = {f: [k for k in MeetingKind.values if frequency(k) == f] for f in (MONTH, QUARTER, YEAR)}
    year = period_of(today, YEAR)

    def inlist(kinds):
        return "(" + ", ".join(f"'{k}'" for k in kinds) + ")" if kinds else "('')"

    current = " ".join(f"WHEN m.kind IN {inlist(k)} AND m.held_on >= '{period_of(today, f).start}' THEN 1"
                       for f, k in by_freq.items())
    orgs = (f"""SELECT o.id, o.name, o.path, o.kind, o.founded, r.path, r.name FROM {org} o
                JOIN {region} r ON r.id = o.region_id
                WHERE r.path LIKE %s AND o.status = %s ORDER BY o.path""",
            [district.path + "%", OrgStatus.ACTIVE])
    groups = (f"""SELECT m.organization_id, m.kind,
                    COUNT(DISTINCT CASE WHEN m.kind IN {inlist(by_freq[MONTH])} THEN substr(m.held_on, 1, 7)
                                        WHEN m.kind IN {inlist(by_freq[QUARTER])}
                                             THEN substr(m.held_on, 1, 4) || ((CAST(substr(m.held_on, 6, 2) AS INTEGER) + 2) / 3)
                                        ELSE substr(m.held_on, 1, 4) END),
                    COUNT(*), MAX(CASE {current} ELSE 0 END), SUM(m.expected_count), SUM(m.present_count),
                    SUM(m.made_up_count), SUM(m.leave_count)
                  FROM {meeting} m JOIN {org} o ON o.id = m.organization_id JOIN {region} r ON r.id = o.region_id
                  WHERE r.path LIKE %s AND m.status = %s AND m.held_on BETWEEN %s AND %s
                  GROUP BY m.organization_id, m.kind""",
              [district.path + "%", MeetingStatus.HELD, str(year.start), str(min(year.end, today))])
    towns = (f"SELECT id, name, path FROM {region} WHERE path LIKE %s AND depth = %s ORDER BY path",
             [district.path + "%", district.depth + 1])
    # formal members per organisation on the first day of each month so far (who has a committee then)
    months = [p.start for p in year.split(MONTH) if p.start <= today]
    formal = ", ".join(f"SUM(CASE WHEN mb.confirm_date <= '{d}' OR (mb.confirm_date IS NULL AND mb.join_date <= '{d}') "
                       f"THEN 1 ELSE 0 END)" for d in months)
    members = (f"""SELECT mb.organization_id, {formal} FROM {member} mb
                   JOIN {org} o ON o.id = mb.organization_id JOIN {region} r ON r.id = o.region_id
                   WHERE r.path LIKE %s AND mb.category = 'formal' AND mb.status = 'normal'
                   GROUP BY mb.organization_id""", [district.path + "%"])
    return [orgs, groups, members, towns]




def cross_check(result, rows) -> list[str]:
    """Differences between the roll-up's totals and the hand-written SQL's."""
    orgs, groups, _members, _towns = rows
    total = result.total
    theirs = {"organisations": total.orgs, "meetings": total.meetings, "expected": total.expected,
              "present": total.present, "made up": total.made_up, "leave": total.leave}
    ours = {"organisations": len(orgs), "meetings": sum(g[3] for g in groups), "expected": sum(g[5] for g in groups),
            "present": sum(g[6] for g in groups), "made up": sum(g[7] for g in groups),
            "leave": sum(g[8] for g in groups)}
    return [f"{k}: SQL {ours[k]} vs roll-up {theirs[k]}" for k in ours if ours[k] != theirs[k]]


def bench_rollup(repeat: int) -> tuple[list[Figure], str]:
    from bench_data import admin_user
    from django.test import Client
    from django.utils import timezone

    from dangjian.orglife import compliance
    from dangjian.orglife.models import Attendance
    from dangjian.orglife.periods import YEAR, period_of

    user = admin_user()
    today = timezone.localdate()
    node = compliance.default_node(user)
    year = period_of(today, YEAR)
    baseline = rollup_sql(node.obj, today)
    result = compliance.rollup(user, node, year, today)
    problems = cross_check(result, run_sql(baseline))
    if problems:
        log("WARNING: the baseline SQL and the roll-up disagree:\n  " + "\n  ".join(problems))
    ours, theirs = paired(lambda: compliance.rollup(user, node, year, today), lambda: run_sql(baseline), repeat)
    client = Client()
    client.force_login(user)
    pages = []
    for i in range(repeat // 2 + 2):
        with Stopwatch() as p:
            response = client.get(PAGE)
        if response.status_code != 200:
            raise SystemExit(f"GET {PAGE} answered {response.status_code}")
        if i >= 2:
            pages.append(p.seconds)
    ratio = median(ours) / median(theirs)
    log(f"orglife: roll-up {ms(median(ours))}, SQL {ms(median(theirs))}, page {ms(median(pages))}")
    figures = [
        Figure("district compliance roll-up vs its raw SQL", f"{ms(median(ours))} (p95 {ms(p95(ours))})",
               f"{ms(median(theirs))} (p95 {ms(p95(theirs))})", f"{ratio:.1f}×",
               f"≤ {RATIO_TARGET:.0f}× and < {ROLLUP_TARGET * 1000:.0f} ms",
               ratio <= RATIO_TARGET and median(ours) < ROLLUP_TARGET, {"samples": ours, "sql_samples": theirs}),
        Figure("compliance dashboard page (median)", f"{ms(median(pages))} (p95 {ms(p95(pages))})", "", "",
               f"< {ROLLUP_TARGET * 1000:.0f} ms", median(pages) < ROLLUP_TARGET, {"samples": pages}),
    ]
    method = (
        f"`compliance.rollup` for `qu_admin`'s district ({node.obj.name}) and the year {year.key}, "
        f"{result.total.orgs:,} organisations and {result.total.meetings:,} held meetings in it "
        f"({Attendance.objects.count():,} attendance rows in the database for the demo's year), called in-process "
        f"{repeat} times, each paired with one run of the baseline: the four queries it needs written by hand "
        f"(the active organisations with their region; one GROUP BY over the year's held meetings counting the "
        f"distinct months / quarters / years per organisation and kind and summing each meeting's attendance "
        f"counters; one GROUP BY over formal members counting them on the first day of each month; the towns) through `connection.cursor()`. "
        + ("Their totals equal the roll-up's. " if not problems else f"**They disagree:** {'; '.join(problems)}. ")
        + f"Left out of the baseline: the scope look-up and the per-organisation arithmetic in Python. The page is "
        f"`GET {PAGE}` through Django's test Client (roll-up, calendar heat map, behind list, HTML)."
    )
    return figures, method


def member_sessions(n: int) -> list[str]:
    """Session cookies of ``n`` member accounts of the district (created once, kept in the benchmark data)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from dangjian.accounts.models import Role, RoleAssignment
    from dangjian.members.models import Member, MemberStatus

    User = get_user_model()
    taken = set(RoleAssignment.objects.filter(role=Role.MEMBER).values_list("member_id", flat=True))
    members = iter(Member.objects.filter(status=MemberStatus.NORMAL).exclude(pk__in=taken).order_by("pk")[::97])
    cookies = []
    for i in range(1, n + 1):
        user, created = User.objects.get_or_create(username=BENCH_USER.format(i))
        if created:
            RoleAssignment.objects.create(user=user, role=Role.MEMBER, member=next(members))
        client = Client()
        client.force_login(user)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    return cookies


def bench_study(rounds: int) -> tuple[list[Figure], str]:
    cookies = member_sessions(MEMBERS)
    port = free_port()
    server = Server(port)
    runs = {"bare": [], "study": []}
    try:
        server.wait_ready()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, body = get(conn, STUDY, cookies[0])
        conn.close()
        if status != 200 or b"learning/contents/" not in body:
            raise SystemExit(f"GET {STUDY} as a bench member answered {status} without anything to study")
        paths = {"bare": lambda rng: BARE, "study": lambda rng: STUDY}
        for name, make_path in paths.items():  # warm-up: every thread connects once
            load(port, cookies, make_path, max_requests=MEMBERS * 2, seconds=20, concurrency=MEMBERS)
        for r in range(rounds):
            for name, make_path in paths.items():
                result = load(port, cookies, make_path, max_requests=3000 if name == "bare" else 1500,
                              seconds=6.0 if name == "bare" else 10.0, concurrency=MEMBERS)
                runs[name].append(result)
                log(f"orglife: round {r + 1} {name}: {result['rps']:.1f} req/s, latency median "
                    f"{ms(result['latency_median'] or 0)}, p95 {ms(result['latency_p95'] or 0)}, errors {result['errors']}")
    finally:
        server.stop()
    bare, study = (sorted(runs[k], key=lambda x: x["rps"])[len(runs[k]) // 2] for k in ("bare", "study"))
    errors = sum(x["errors"] for v in runs.values() for x in v)
    figures = [Figure(
        f"today's study page, {MEMBERS} members at once",
        f"latency median {ms(study['latency_median'])}, p95 {ms(study['latency_p95'])}; {study['rps']:.1f} req/s",
        f"bare view: latency median {ms(bare['latency_median'])}; {bare['rps']:.1f} req/s",
        f"{study['rps'] / bare['rps'] * 100:.0f}% of bare throughput", f"median < {LATENCY_TARGET * 1000:.0f} ms",
        study["latency_median"] < LATENCY_TARGET and not errors, {"study": study, "bare": bare, "errors": errors})]
    method = (
        f"`GET {STUDY}` on the benchmark's gunicorn (`{' '.join(server.command[2:])}`) by {MEMBERS} client threads, "
        f"each logged in as a different member of the district (bench accounts `bench_member_01`…, each with "
        f"today's pushes to read), keep-alive connections, {rounds} rounds of at most 10 s; the median round is "
        f"reported. Baseline: the bench-only bare view (session and user only) under the same {MEMBERS} sessions."
        + (f" {errors} requests failed." if errors else "")
    )
    return figures, method


def run(repeat: int = 15, rounds: int = 3) -> Section:
    roll_figures, roll_method = bench_rollup(repeat)
    study_figures, study_method = bench_study(rounds)
    return Section("orglife", "Organisational life and today's study", roll_figures + study_figures,
                   roll_method + "\n\n" + study_method, "")
