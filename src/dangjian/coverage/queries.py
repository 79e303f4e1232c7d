"""Coverage reads (两个覆盖). Every figure is computed from ``Unit.objects.scoped(user)``.

Definitions (domain-rules §6):
* denominator: units in scope whose status is "operating" (closed and suspended are left out);
* organisational coverage: linked through OrgUnit to >=1 active organisation;
* own-organisation rate: linked to an active organisation whose formation is "own";
* work coverage: organisational coverage, or an open WorkLink whose kind is in
  ``rule("coverage.work_link_kinds")`` (start <= day <= end, end empty = open).

Each function issues a fixed number of queries whatever the number of units or regions.
The summary and the four breakdowns all come from ONE aggregate, the *cube* (``cube()``): the
units in scope grouped by (child-region path prefix, industry section, kind, size band), each
unit's flags computed once by LEFT JOINs to per-unit aggregates of its active organisations
(the strongest formation: own > joint > other) and of its open work links, then rolled up in
Python. The blank-spot list and the drill-down use Exists() flags (``coverage_flags``).
"""
from datetime import date
from operator import add

from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import (
    BooleanField, Case, CharField, Count, Exists, ExpressionWrapper, F, IntegerField, Max, OuterRef, Q, Subquery,
    Value, When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.rules import rule
from dangjian.core.scoping import get_scope
from dangjian.coverage.figures import Breakdown, Figures, Row, Summary
from dangjian.coverage.models import CoverageSnapshot, WorkLink
from dangjian.members.models import Category, Member, MemberStatus
from dangjian.organizations.models import Formation, OrgStatus, OrgUnit
from dangjian.regions.models import Region
from dangjian.units.industry import SECTIONS
from dangjian.units.models import SIZE_BAND_BOUNDS, SizeBand, Unit, UnitKind, UnitStatus

STEPLEN = Region.steplen
DIMENSIONS = ("region", "industry", "kind", "size")
BLANK_SORTS = ("employees", "members")
OPERATING = Q(status=UnitStatus.OPERATING)


# ---- building blocks ---------------------------------------------------------------------------

def today() -> date:
    return timezone.localdate()


def open_work_links(day: date, unit_ref="pk"):
    """WorkLinks counting toward work coverage on ``day`` (kind from the rule set)."""
    qs = WorkLink.objects.filter(kind__in=rule("coverage.work_link_kinds"), start__lte=day)
    qs = qs.filter(Q(end__isnull=True) | Q(end__gte=day))
    return qs.filter(unit=OuterRef(unit_ref)) if unit_ref else qs


def coverage_flags(as_of: date | None = None) -> dict:
    """Exists() expressions for a Unit queryset: cov_any, cov_own, cov_joint, cov_link.

    With ``as_of`` an organisation counts only if founded by then (null founded = always existed).
    """
    links = OrgUnit.objects.filter(unit=OuterRef("pk"), organization__status=OrgStatus.ACTIVE)
    if as_of is not None:
        links = links.filter(Q(organization__founded__isnull=True) | Q(organization__founded__lte=as_of))
    return {
        "cov_any": Exists(links),
        "cov_own": Exists(links.filter(organization__formation=Formation.OWN)),
        "cov_joint": Exists(links.filter(organization__formation=Formation.JOINT)),
        "cov_link": Exists(open_work_links(as_of or today())),
    }


def counts() -> dict:
    """Conditional aggregates over a queryset carrying the coverage_flags aliases."""
    return {
        "units": Count("pk", filter=OPERATING),
        "covered": Count("pk", filter=OPERATING & Q(cov_any=True)),
        "own": Count("pk", filter=OPERATING & Q(cov_own=True)),
        "joint": Count("pk", filter=OPERATING & Q(cov_joint=True, cov_own=False)),
        "work": Count("pk", filter=OPERATING & (Q(cov_any=True) | Q(cov_link=True))),
    }


def _flag(q: Q):
    return ExpressionWrapper(q, output_field=BooleanField())


def size_q(band: str) -> Q:
    for code, low, high in SIZE_BAND_BOUNDS:
        if code == band:
            return Q(employees__gte=low) & (Q(employees__lte=high) if high is not None else Q())
    raise ValidationError({"size": _("未知的规模档次“%(v)s”") % {"v": band}})


def member_count(**extra):
    """Subquery: members in normal standing employed at the unit (optionally narrowed)."""
    sq = (
        Member.objects.filter(employer=OuterRef("pk"), status=MemberStatus.NORMAL, **extra)
        .order_by().values("employer").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(sq, output_field=IntegerField()), Value(0))


def _filtered_units(user, *, region=None, industry=None, kind=None, size=None, as_of=None):
    """The user's units (every status) narrowed by the filters (no coverage flags)."""
    qs = Unit.objects.scoped(user)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if industry:
        if industry not in SECTIONS:
            raise ValidationError({"industry": _("未知的行业门类“%(v)s”") % {"v": industry}})
        qs = qs.filter(industry_section=industry)
    if kind:
        if kind not in UnitKind.values:
            raise ValidationError({"kind": _("未知的单位类型“%(v)s”") % {"v": kind}})
        qs = qs.filter(kind=kind)
    if size:
        qs = qs.filter(size_q(size))
    if as_of is not None:
        qs = qs.filter(Q(founded__isnull=True) | Q(founded__lte=as_of))
    return qs


def units_in_scope(user, *, region=None, industry=None, kind=None, size=None, as_of=None):
    """The user's units (every status) narrowed by the filters, with the coverage flags aliased."""
    qs = _filtered_units(user, region=region, industry=industry, kind=kind, size=size, as_of=as_of)
    return qs.alias(**coverage_flags(as_of))


# ---- regions in a user's scope -----------------------------------------------------------------

def top_regions(user) -> list[Region]:
    """The outermost regions the user sees (one query, then cached on the user object)."""
    cached = getattr(user, "_coverage_top_regions", None)
    if cached is not None:
        return list(cached)
    scope = get_scope(user)
    if scope.everything:
        kept = list(Region.objects.get_root_nodes())
    elif scope.region_paths:
        kept = list(Region.objects.filter(path__in=scope.region_paths).order_by("path"))
    else:
        kept = []
        for region in Region.objects.scoped(user).order_by("path"):
            if not any(region.path.startswith(k.path) for k in kept):
                kept.append(region)
    try:
        user._coverage_top_regions = tuple(kept)
    except AttributeError:  # e.g. AnonymousUser-like objects without a __dict__
        pass
    return kept


def resolve_region(user, region_id) -> Region | None:
    """A region id from a request -> the Region, or 404 when absent or out of scope."""
    if region_id in (None, ""):
        return None
    return Region.objects.get_for_user(region_id, user)


def sees_region_totals(user, region: Region) -> bool:
    """Whole-region totals (snapshots) are for users whose scope covers the region's subtree."""
    return get_scope(user).covers(region.path)


# ---- the public reads --------------------------------------------------------------------------

# Formation levels in the cube: a unit's strongest active organisation (NULL = not covered).
LEVEL_OWN, LEVEL_JOINT, LEVEL_OTHER = 3, 2, 1


def size_band_case():
    return Case(*[When(size_q(code), then=Value(code)) for code, _l, _h in SIZE_BAND_BOUNDS], output_field=CharField())


class Cube:
    """Coverage counts of the units in scope grouped by (region key, industry, kind, size band).

    ``rows`` are tuples ``(key, industry, kind, band, counts)`` where counts is a tuple of
    ``COUNTS``: units / covered / own / joint / work (operating units only), closed, suspended.
    ``parent`` is the region whose children the keys name (path prefixes at the child depth);
    with several top regions side by side (``parent`` None) the keys are the tops' paths.
    """

    COUNTS = ("units", "covered", "own", "joint", "work", "closed", "suspended")

    def __init__(self, user, rows, parent, tops, region, as_of=None):
        self.user, self.rows, self.parent, self.tops, self.region, self.as_of = user, rows, parent, tops, region, as_of
        self._sums = self._total = None

    def _rollups(self) -> list[dict]:
        """Per region key, industry, kind and band: the summed counts (one pass over the rows, kept)."""
        if self._sums is None:
            sums = ({}, {}, {}, {})
            for row in self.rows:
                values = row[4]
                for index, got in enumerate(sums):
                    key = row[index]
                    if key is None and index == 0:  # outside the parent region (only without a region filter)
                        continue
                    acc = got.get(key)
                    if acc is None:
                        got[key] = list(values)
                    else:
                        acc[:] = map(add, acc, values)
            self._total = [sum(column) for column in zip(*(row[4] for row in self.rows))] or [0] * len(self.COUNTS)
            self._sums = sums
        return self._sums

    def _rollup(self, index: int) -> dict:
        return {key: dict(zip(self.COUNTS, acc)) for key, acc in self._rollups()[index].items()}

    def summary(self) -> Summary:
        self._rollups()
        agg = dict(zip(self.COUNTS, self._total))
        return Summary.from_counts(agg, closed=agg["closed"], suspended=agg["suspended"], as_of=self.as_of)

    def breakdown(self, by: str) -> Breakdown:
        if by not in DIMENSIONS:
            raise ValidationError({"by": _("未知的分组方式“%(v)s”，可选：%(all)s") % {"v": by, "all": "、".join(DIMENSIONS)}})
        if by == "region":
            return self._by_region()
        if by == "industry":
            got = self._rollup(1)
            rows = [_row(got[code], code, SECTIONS[code]) for code in SECTIONS if code in got]
        elif by == "kind":
            got = self._rollup(2)
            rows = [_row(got.get(code, {}), code, label) for code, label in UnitKind.choices]
        else:
            got = self._rollup(3)
            rows = [_row(got.get(code, {}), code, label) for code, label in SizeBand.choices]
        return Breakdown(by=by, rows=rows, region=self.region)

    def _by_region(self) -> Breakdown:
        got = self._rollup(0)
        region = self.parent
        if region is None:  # several top regions (or none) side by side
            return Breakdown("region", [_row(got.get(t.path, {}), t.path, t.name, t.pk) for t in self.tops], None)
        children = list(Region.objects.scoped(self.user).filter(path__startswith=region.path, depth=region.depth + 1))
        rows = [_row(got.pop(c.path, {}), c.path, c.name, c.pk) for c in children]
        direct = got.pop(region.path, None)
        if direct and any(direct[name] for name in ("units", "covered", "own", "joint", "work")):
            rows.append(_row(direct, region.path, _("%(name)s（直属）") % {"name": region.name}))
        if got:  # units under child regions the user cannot see by name
            other = Figures()
            for agg in got.values():
                other.add(Figures.from_counts(agg))
            rows.append(Row(**vars(other), key="", label=_("其他下级区域")))
        return Breakdown("region", rows, region)


def cube(user, region: Region | None = None, **filters) -> Cube:
    """The one aggregate behind the summary and the four breakdowns (one query).

    Units are narrowed by ``region`` and the filters like every other read; the region key is the
    path prefix at the depth of ``region``'s children (without ``region``: of the user's single
    top region's children, or the top region itself when there are several).
    """
    as_of = filters.get("as_of")
    tops = []
    parent = region
    if region is None:
        tops = top_regions(user)
        parent = tops[0] if len(tops) == 1 else None
    if parent is not None:
        key = Case(When(region__path__startswith=parent.path,
                        then=Substr("region__path", 1, STEPLEN * (parent.depth + 1))),
                   default=Value(None), output_field=CharField())
    elif tops:
        key = Case(*[When(region__path__startswith=t.path, then=Value(t.path)) for t in tops],
                   default=Value(None), output_field=CharField())
    else:
        key = Value(None, output_field=CharField())
    units = _filtered_units(user, region=region, **filters).values(
        u_id=F("pk"), u_key=key, u_industry=F("industry_section"), u_kind=F("kind"), u_band=size_band_case(),
        u_status=F("status"),
    ).order_by()
    orgs = OrgUnit.objects.filter(organization__status=OrgStatus.ACTIVE)
    if as_of is not None:
        orgs = orgs.filter(Q(organization__founded__isnull=True) | Q(organization__founded__lte=as_of))
    level = Case(When(organization__formation=Formation.OWN, then=Value(LEVEL_OWN)),
                 When(organization__formation=Formation.JOINT, then=Value(LEVEL_JOINT)),
                 default=Value(LEVEL_OTHER), output_field=IntegerField())
    orgs = orgs.values("unit_id").annotate(level=Max(level)).values("unit_id", "level").order_by()
    links = open_work_links(as_of or today(), unit_ref=None).values("unit_id").distinct().order_by()

    db = units.db
    try:
        compiled = [q.query.get_compiler(db).as_sql() for q in (units, orgs, links)]
    except EmptyResultSet:  # an empty scope: nothing to count
        return Cube(user, [], parent, tops, region, as_of)
    operating = "u.u_status = %s"
    sql = f"""
        SELECT u.u_key, u.u_industry, u.u_kind, u.u_band,
               COUNT(*) FILTER (WHERE {operating}),
               COUNT(*) FILTER (WHERE {operating} AND c.level IS NOT NULL),
               COUNT(*) FILTER (WHERE {operating} AND c.level = %s),
               COUNT(*) FILTER (WHERE {operating} AND c.level = %s),
               COUNT(*) FILTER (WHERE {operating} AND (c.level IS NOT NULL OR w.unit_id IS NOT NULL)),
               COUNT(*) FILTER (WHERE u.u_status = %s),
               COUNT(*) FILTER (WHERE u.u_status = %s)
        FROM ({compiled[0][0]}) u
        LEFT JOIN ({compiled[1][0]}) c ON c.unit_id = u.u_id
        LEFT JOIN ({compiled[2][0]}) w ON w.unit_id = u.u_id
        GROUP BY u.u_key, u.u_industry, u.u_kind, u.u_band
    """
    op = UnitStatus.OPERATING
    params = [op, op, op, LEVEL_OWN, op, LEVEL_JOINT, op, UnitStatus.CLOSED, UnitStatus.SUSPENDED,
              *compiled[0][1], *compiled[1][1], *compiled[2][1]]
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = [(r[0], r[1], r[2], r[3], r[4:]) for r in cursor.fetchall()]
    return Cube(user, rows, parent, tops, region, as_of)


def summary(user, **filters) -> Summary:
    """Counts and the three rates for the user's scope (one query: the cube)."""
    return cube(user, **filters).summary()


def breakdown(user, by: str, region: Region | None = None, **filters) -> Breakdown:
    """Figures per region (children of ``region``), industry section, unit kind or size band."""
    if by not in DIMENSIONS:
        raise ValidationError({"by": _("未知的分组方式“%(v)s”，可选：%(all)s") % {"v": by, "all": "、".join(DIMENSIONS)}})
    return cube(user, region, **filters).breakdown(by)


def _row(agg: dict, key: str, label, region_id=None) -> Row:
    return Row.from_counts(agg, key=key, label=str(label), region_id=region_id)


def lowest_regions(rows: list[Row], n: int = 5) -> list[Row]:
    """Regions with the lowest organisational coverage (missing rates are left out)."""
    rated = [r for r in rows if r.units]
    return sorted(rated, key=lambda r: (r.coverage_rate.ratio, -r.uncovered, r.label))[:n]


def most_uncovered_regions(rows: list[Row], n: int = 5) -> list[Row]:
    return sorted([r for r in rows if r.uncovered], key=lambda r: (-r.uncovered, r.label))[:n]


def blank_spot_units(user, sort: str = "employees", region=None, details: bool = True, **filters):
    """Operating units without an organisation, largest first, with member counts (a queryset).

    Each unit has ``members_count`` and, with ``details``, ``formal_count`` and ``work_covered``
    (computed for every blank spot; ``blank_spots`` takes them from the page's assessment instead).
    """
    if sort not in BLANK_SORTS:
        raise ValidationError({"sort": _("未知的排序方式“%(v)s”，可选：%(all)s") % {"v": sort, "all": "、".join(BLANK_SORTS)}})
    qs = units_in_scope(user, region=region, **filters).filter(OPERATING, cov_any=False).annotate(members_count=member_count())
    if details:
        qs = qs.annotate(formal_count=member_count(category=Category.FORMAL), work_covered=_flag(Q(cov_link=True)))
    qs = qs.select_related("region")
    order = ["-employees", "-members_count"] if sort == "employees" else ["-members_count", "-employees"]
    return qs.order_by(*order, "name", "pk")


def blank_spots(user, sort: str = "employees", region=None, page=1, per_page: int = 20, region_rows=None,
                count: int | None = None, **filters):
    """A page of blank-spot units (each with its recommendation) and the weakest regions.

    Returns a dict: ``page`` (a Django Page of units; each unit has ``members_count``,
    ``formal_count``, ``work_covered`` and ``recommendation``), ``lowest_regions`` and
    ``most_uncovered_regions`` (Rows of the region breakdown under ``region``). ``count``, when
    given, is the number of blank spots (``summary(...).uncovered`` for the same filters), which
    saves the paginator's COUNT query.
    """
    from dangjian.coverage.recommend import assess_units

    paginator = Paginator(blank_spot_units(user, sort, region, details=False, **filters), per_page)
    if count is not None:  # the caller knows it already (the summary's uncovered units, same filters)
        paginator.count = count
    page_obj = paginator.get_page(page)
    units = list(page_obj.object_list)
    assessed = assess_units(units, user)  # formal members and work links of the page's units only
    for unit in units:
        status = assessed[unit.pk]
        unit.recommendation = status.recommendation
        unit.formal_count = status.recommendation.formal_members
        unit.work_covered = status.work
    page_obj.object_list = units
    if region_rows is None:
        region_rows = breakdown(user, "region", region, **filters).rows
    return {
        "page": page_obj,
        "lowest_regions": lowest_regions(region_rows),
        "most_uncovered_regions": most_uncovered_regions(region_rows),
    }


def region_units(user, region: Region, **filters):
    """Operating units under a region with their flags, uncovered first (the drill-down's last level)."""
    return (
        units_in_scope(user, region=region, **filters).filter(OPERATING)
        .annotate(
            is_covered=_flag(Q(cov_any=True)), is_own=_flag(Q(cov_own=True)),
            is_work=_flag(Q(cov_any=True) | Q(cov_link=True)),
            members_count=member_count(),
        )
        .select_related("region")
        .order_by("is_covered", "-employees", "name", "pk")
    )


def trend(user, region: Region | None = None, months: int = 24) -> list[dict]:
    """Monthly snapshot figures for a region (default: the user's top regions, summed).

    Only for users whose scope covers the whole region (snapshots are region totals).
    """
    from django.db.models import Sum

    regions = [region] if region is not None else top_regions(user)
    regions = [r for r in regions if sees_region_totals(user, r)]
    if not regions:
        return []
    rows = (
        CoverageSnapshot.objects.filter(region__in=[r.pk for r in regions])
        .values("month").annotate(units=Sum("units"), covered=Sum("covered"), own=Sum("own"), work=Sum("work_covered"))
        .order_by("-month")[:months]
    )
    points = []
    for row in reversed(list(rows)):
        figures = Figures(units=row["units"], covered=row["covered"], own=row["own"], work=row["work"])
        points.append({"month": row["month"], **{k: v for k, v in figures.as_dict().items() if k not in ("joint", "fallback")}})
    return points


def unit_status(unit, user=None):
    """A unit's coverage status for its detail page: a recommend.UnitCoverage with ``covered``,
    ``own``, ``work``, ``organizations``, ``work_links`` and ``recommendation`` (four to eight
    queries). The caller has already fetched the unit with ``get_for_user``; ``user`` limits
    the joint branches and partner units offered to those in the user's scope.
    """
    from dangjian.coverage.recommend import assess_units

    return assess_units([unit], user)[unit.pk]
