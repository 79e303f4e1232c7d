"""Generate a demo district into the database: deterministic for a profile and seed, all or nothing."""
import datetime as dt
import importlib
import importlib.util
import time

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.coverage.models import WorkLink, WorkLinkKind
from dangjian.demo.build_alliances import build_alliances
from dangjian.demo.build_learning import build_learning
from dangjian.demo.build_orglife import build_orglife
from dangjian.demo.build_orgs import OrgBuilder
from dangjian.demo.build_regions import build_regions
from dangjian.demo.build_services import build_services
from dangjian.demo.build_units import build_units
from dangjian.demo.context import PHASES, Ctx
from dangjian.demo.identifiers import CREDIT_TYPES
from dangjian.demo.plan import plan_coverage
from dangjian.demo.profiles import DEMO_MARK, get_profile
from dangjian.members.models import Member
from dangjian.organizations.models import CommitteeMember, Organization, OrgKind, OrgStatus, OrgUnit
from dangjian.alliances.models import Deal, LinkGroup, LinkMember, Scheme
from dangjian.orglife.models import Meeting
from dangjian.services.models import Officer, Request
from dangjian.regions.models import Region, RegionKind
from dangjian.units.models import Unit, UnitStatus

CHUNK = 2000  # rows per progress step while saving; bulk_create splits further to fit the database's limits


class DemoConflict(Exception):
    """The district's region code is already used by data that is not demo data."""


def existing_district(profile) -> Region | None:
    district = Region.objects.filter(code=profile.code).first()
    if district is not None and DEMO_MARK not in district.name:
        raise DemoConflict(
            _("区划代码 %(code)s 已被“%(name)s”使用，且它不是演示数据；为免混入真实数据，未生成演示数据。")
            % {"code": profile.code, "name": district.name}
        )
    return district


def add_work_links(ctx: Ctx) -> None:
    """Instructors, liaisons or unions reaching units (work coverage); a few links have ended."""
    rng, p = ctx.rng, ctx.profile
    kinds, weights = [WorkLinkKind.INSTRUCTOR, WorkLinkKind.LIAISON, WorkLinkKind.UNION], [80, 14, 6]
    for unit in ctx.units:
        if unit.status != UnitStatus.OPERATING:
            continue
        roll = rng.random()
        if unit.cover is None and roll < p.work_link_share:
            end = None if rng.random() < 0.95 else ctx.today + dt.timedelta(days=rng.randint(10, 300))
        elif unit.cover is None and roll < p.work_link_share + 0.04:
            end = ctx.days_ago(5, 200)  # ended: no longer counts
        elif unit.cover is not None and roll < 0.08:
            end = None
        else:
            continue
        start = ctx.days_ago(220, 1100) if end is not None and end < ctx.today else ctx.days_ago(20, 1000)
        ctx.work_links.append(WorkLink(unit=unit, kind=rng.choices(kinds, weights)[0],
                                       person_name=ctx.person_name(rng.choice("MF")), start=start, end=end))


def _chunks(rows, size=900):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def avoid_existing(ctx: Ctx, members) -> None:
    """Never collide with identifiers already in the database (another district, real records)."""
    for chunk in _chunks(ctx.units):
        taken = set(Unit.objects.filter(credit_code__in=[u.credit_code for u in chunk]).values_list("credit_code", flat=True))
        ctx.credit_codes.issued |= taken
        for unit in chunk:
            if unit.credit_code in taken:
                kind = unit.kind if unit.kind in CREDIT_TYPES else "enterprise"
                unit.credit_code = ctx.credit_codes.make(kind, unit.credit_code[2:8], unit.founded)
    for chunk in _chunks(members):
        taken = set(Member.objects.filter(id_number_hash__in=[m.id_number_hash for m in chunk])
                    .values_list("id_number_hash", flat=True))
        for member in chunk:
            while member.id_number_hash in taken:
                member.set_id_number(ctx.citizen_ids.make(member.birth_date, member.gender, True))


def save(ctx: Ctx, regions, orgs, members) -> None:
    tables = [(Region, regions), (Unit, ctx.units), (Organization, orgs), (OrgUnit, ctx.org_units),
              (Member, members), (CommitteeMember, ctx.committee), (WorkLink, ctx.work_links)]
    total, done = sum(len(rows) for _m, rows in tables), 0
    for model, rows in tables:
        for i in range(0, len(rows), CHUNK):
            model.objects.bulk_create(rows[i:i + CHUNK])
            done += len(rows[i:i + CHUNK])
            ctx.report("save", done, total)


def summarize(district: Region) -> dict:
    regions = Region.objects.filter(path__startswith=district.path)
    units = Unit.objects.filter(region__path__startswith=district.path)
    operating = units.filter(status=UnitStatus.OPERATING)
    orgs = Organization.objects.filter(region__path__startswith=district.path)
    active = Q(org_links__organization__status=OrgStatus.ACTIVE)
    covered = operating.filter(active).distinct().count()
    n_operating = operating.count()
    return {
        "district": district.name,
        "towns": regions.filter(kind__in=[RegionKind.STREET, RegionKind.TOWN, RegionKind.TOWNSHIP]).count(),
        "regions": regions.count(),
        "units": units.count(),
        "operating_units": n_operating,
        "covered_units": covered,
        "coverage_rate": round(100 * covered / n_operating, 2) if n_operating else None,
        "organizations": orgs.count(),
        "grassroots_organizations": orgs.exclude(kind__in=[OrgKind.PARTY_GROUP, OrgKind.GRID_GROUP]).count(),
        "members": Member.objects.filter(organization__region__path__startswith=district.path).count(),
        "work_links": WorkLink.objects.filter(unit__region__path__startswith=district.path).count(),
        "meetings": Meeting.objects.filter(organization__region__path__startswith=district.path).count(),
        "officers": Officer.objects.filter(region__path__startswith=district.path).count(),
        "requests": Request.objects.filter(unit__region__path__startswith=district.path).count(),
        "link_groups": LinkGroup.objects.filter(scheme__region__path__startswith=district.path).count(),
        "grouped_units": LinkMember.objects.filter(scheme__region__path__startswith=district.path).count(),
        "deals": Deal.objects.filter(need__unit__region__path__startswith=district.path).count(),
    }


def backfill_snapshots_function():
    """coverage.actions.backfill_snapshots, when the coverage app provides it (else None)."""
    if importlib.util.find_spec("dangjian.coverage.actions") is None:
        return None
    return getattr(importlib.import_module("dangjian.coverage.actions"), "backfill_snapshots", None)


def demo_enterprise(district):
    from dangjian.demo.accounts import demo_enterprise as find  # demo.accounts imports this module

    return find(district)


def analyze() -> None:
    """Fresh planner statistics after a bulk load: PostgreSQL otherwise plans joins over millions of new rows
    as if the tables were empty (SQLite plans from its indexes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build_activity(district, seed, today, progress=None) -> dict:
    """A year of organisational life, then learning and points (which read the attendance), services and joint
    building."""
    enterprise = demo_enterprise(district)
    result = {"orglife": build_orglife(district, seed, today, progress)}
    analyze()
    result.update(learning=build_learning(district, seed, today, progress),
                  services=build_services(district, seed, today, progress, enterprise),
                  alliances=build_alliances(district, seed, today, progress, enterprise))
    analyze()
    return result


def add_activity(district, seed, today, progress=None) -> dict:
    """A district generated before meetings, learning or services existed gets what it lacks, once each
    (each all or nothing)."""
    report = (lambda phase, done, total: progress(str(PHASES[phase]), done, total)) if progress else None
    added = {}
    with transaction.atomic():
        if not Meeting.objects.filter(organization__region__path__startswith=district.path).exists():
            added["orglife"] = build_orglife(district, seed, today, report)
            analyze()
            added["learning"] = build_learning(district, seed, today, report)
    with transaction.atomic():
        if not Officer.objects.filter(region__path__startswith=district.path).exists():
            added["services"] = build_services(district, seed, today, report, demo_enterprise(district))
    with transaction.atomic():
        if not Scheme.objects.filter(region__path__startswith=district.path).exists():
            added["alliances"] = build_alliances(district, seed, today, report, demo_enterprise(district))
    analyze()
    return added


def generate(profile: str, seed: int = 2026, progress=None, *, scale: float = 1.0, today=None) -> dict:
    """Create the profile's district unless it exists; return counts (and timings when created).

    progress(label, done, total) is called as the phases advance. Keys of the result: profile, created,
    district, towns, regions, units, operating_units, covered_units, coverage_rate (%), organizations,
    grassroots_organizations (without party groups), members, work_links; when created also seed,
    seconds, phase_seconds and snapshot_months (monthly coverage snapshots written, None if the
    coverage app cannot backfill them).
    """
    p = get_profile(profile, scale)
    started = time.perf_counter()
    district = existing_district(p)
    if district is not None:
        added = add_activity(district, seed, today or timezone.localdate(), progress)
        return {"profile": p.key, "created": False, **summarize(district), **added}
    ctx = Ctx(p, seed, today or timezone.localdate(), progress)
    phases = {}

    def phase(name, fn, *args):
        t = time.perf_counter()
        result = fn(*args)
        phases[name] = round(time.perf_counter() - t, 2)
        return result

    with transaction.atomic():
        regions = phase("regions", build_regions, ctx)
        phase("units", build_units, ctx)
        groups = phase("plan", plan_coverage, ctx)
        builder = OrgBuilder(ctx)
        orgs = phase("organizations", builder.build, groups)
        phase("committees", builder.committees)
        members = builder.all_members()
        phase("work_links", add_work_links, ctx)
        phase("check_existing", avoid_existing, ctx, members)
        phase("save", save, ctx, regions, orgs, members)
        activity = phase("activity", build_activity, ctx.district, seed, ctx.today, ctx.report)
        audit.record(None, audit.Action.IMPORT, ctx.district,
                     {"demo_profile": [None, p.key], "seed": [None, seed], "scale": [None, scale]})
    snapshot_months = None  # None: the coverage app offers no backfill_snapshots
    backfill = backfill_snapshots_function()
    if backfill is not None:
        snapshot_months = len(phase("snapshots", lambda: backfill(months=12)))
    return {
        "profile": p.key, "created": True, "seed": seed, **summarize(ctx.district), **activity,
        "snapshot_months": snapshot_months,
        "seconds": round(time.perf_counter() - started, 2), "phase_seconds": phases,
    }
