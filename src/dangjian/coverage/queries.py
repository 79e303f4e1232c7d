"""Coverage reads (两个覆盖). Every figure is computed from ``Unit.objects.scoped(user)``.

Definitions (domain-rules §6):
* denominator: units in scope whose status is "operating" (closed and suspended are left out);
* organisational coverage: linked through OrgUnit to >=1 active organisation;
* own-organisation rate: linked to an active organisation whose formation is "own";
* work coverage: organisational coverage, or an open WorkLink whose kind is in
  ``rule("coverage.work_link_kinds")`` (start <= day <= end, end empty = open).

Each function issues a fixed number of queries whatever the number of units or regions:
the coverage flags are Exists() subqueries aliased once and counted with conditional
aggregation; the region breakdown groups by the materialised-path prefix at the child depth.
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField, Case, CharField, Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Value,
    When,
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


def units_in_scope(user, *, region=None, industry=None, kind=None, size=None, as_of=None):
    """The user's units (every status) narrowed by the filters, with the coverage flags aliased."""
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
    scope = get_scope(user)
    return scope.everything or any(region.path.startswith(p) for p in scope.region_paths)


# ---- the public reads --------------------------------------------------------------------------

def summary(user, **filters) -> Summary:
    """Counts and the three rates for the user's scope (one query)."""
    qs = units_in_scope(user, **filters)
    agg = qs.aggregate(
        **counts(),
        closed=Count("pk", filter=Q(status=UnitStatus.CLOSED)),
        suspended=Count("pk", filter=Q(status=UnitStatus.SUSPENDED)),
    )
    return Summary.from_counts(agg, closed=agg["closed"], suspended=agg["suspended"], as_of=filters.get("as_of"))


def breakdown(user, by: str, region: Region | None = None, **filters) -> Breakdown:
    """Figures per region (children of ``region``), industry section, unit kind or size band."""
    if by not in DIMENSIONS:
        raise ValidationError({"by": _("未知的分组方式“%(v)s”，可选：%(all)s") % {"v": by, "all": "、".join(DIMENSIONS)}})
    if by == "region":
        return _by_region(user, region, **filters)
    qs = units_in_scope(user, region=region, **filters)
    if by == "industry":
        got = {r["k"]: r for r in qs.values(k=F("industry_section")).annotate(**counts()).order_by()}
        rows = [_row(got[code], code, SECTIONS[code]) for code in SECTIONS if code in got]
    elif by == "kind":
        got = {r["k"]: r for r in qs.values(k=F("kind")).annotate(**counts()).order_by()}
        rows = [_row(got.get(code, {}), code, label) for code, label in UnitKind.choices]
    else:
        band = Case(*[When(size_q(code), then=Value(code)) for code, _l, _h in SIZE_BAND_BOUNDS], output_field=CharField())
        got = {r["k"]: r for r in qs.values(k=band).annotate(**counts()).order_by()}
        rows = [_row(got.get(code, {}), code, label) for code, label in SizeBand.choices]
    return Breakdown(by=by, rows=rows, region=region)


def _row(agg: dict, key: str, label, region_id=None) -> Row:
    return Row.from_counts(agg, key=key, label=str(label), region_id=region_id)


def _by_region(user, region, **filters) -> Breakdown:
    if region is None:
        tops = top_regions(user)
        if len(tops) == 1:
            region = tops[0]
        else:  # several top regions side by side: group by which one a unit lies under
            qs = units_in_scope(user, **filters)
            key = Case(*[When(region__path__startswith=t.path, then=Value(t.path)) for t in tops],
                       default=Value(""), output_field=CharField())
            got = {r["k"]: r for r in qs.values(k=key).annotate(**counts()).order_by()} if tops else {}
            return Breakdown("region", [_row(got.get(t.path, {}), t.path, t.name, t.pk) for t in tops], None)
    children = list(Region.objects.scoped(user).filter(path__startswith=region.path, depth=region.depth + 1))
    qs = units_in_scope(user, region=region, **filters)
    key = Substr("region__path", 1, STEPLEN * (region.depth + 1))
    got = {r["k"]: r for r in qs.values(k=key).annotate(**counts()).order_by()}
    rows = [_row(got.pop(c.path, {}), c.path, c.name, c.pk) for c in children]
    direct = got.pop(region.path, None)
    if direct and any(direct.values()):
        rows.append(_row(direct, region.path, _("%(name)s（直属）") % {"name": region.name}))
    if got:  # units under child regions the user cannot see by name
        other = Figures()
        for agg in got.values():
            other.add(Figures.from_counts(agg))
        rows.append(Row(**vars(other), key="", label=_("其他下级区域")))
    return Breakdown("region", rows, region)


def lowest_regions(rows: list[Row], n: int = 5) -> list[Row]:
    """Regions with the lowest organisational coverage (missing rates are left out)."""
    rated = [r for r in rows if r.units]
    return sorted(rated, key=lambda r: (r.coverage_rate.ratio, -r.uncovered, r.label))[:n]


def most_uncovered_regions(rows: list[Row], n: int = 5) -> list[Row]:
    return sorted([r for r in rows if r.uncovered], key=lambda r: (-r.uncovered, r.label))[:n]


def blank_spot_units(user, sort: str = "employees", region=None, **filters):
    """Operating units without an organisation, largest first, with member counts (a queryset)."""
    if sort not in BLANK_SORTS:
        raise ValidationError({"sort": _("未知的排序方式“%(v)s”，可选：%(all)s") % {"v": sort, "all": "、".join(BLANK_SORTS)}})
    qs = (
        units_in_scope(user, region=region, **filters).filter(OPERATING, cov_any=False)
        .annotate(
            members_count=member_count(),
            formal_count=member_count(category=Category.FORMAL),
            work_covered=_flag(Q(cov_link=True)),
        )
        .select_related("region")
    )
    order = ["-employees", "-members_count"] if sort == "employees" else ["-members_count", "-employees"]
    return qs.order_by(*order, "name", "pk")


def blank_spots(user, sort: str = "employees", region=None, page=1, per_page: int = 20, region_rows=None, **filters):
    """A page of blank-spot units (each with its recommendation) and the weakest regions.

    Returns a dict: ``page`` (a Django Page of units; each unit has ``members_count``,
    ``formal_count``, ``work_covered`` and ``recommendation``), ``lowest_regions`` and
    ``most_uncovered_regions`` (Rows of the region breakdown under ``region``).
    """
    from dangjian.coverage.recommend import recommend_units

    page_obj = Paginator(blank_spot_units(user, sort, region, **filters), per_page).get_page(page)
    units = list(page_obj.object_list)
    recs = recommend_units(units, user)
    for unit in units:
        unit.recommendation = recs[unit.pk]
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
