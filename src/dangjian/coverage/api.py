"""Coverage (两个覆盖) under /api/v1/coverage. Every figure comes from the caller's scope;
a region or unit outside it answers 404. Rates carry their inputs; a zero denominator gives
``percent: null`` (missing), never 0."""
from datetime import date
from typing import Literal, Optional

from ninja import Query, Router, Schema

from dangjian.core.schemas import MAX_PAGE, Id
from dangjian.coverage import queries
from dangjian.coverage.params import read_filters
from dangjian.units.models import Unit

router = Router(tags=["coverage"])


class FilterParams(Schema):
    region: Optional[int] = None
    industry: Optional[str] = None
    kind: Optional[str] = None
    size: Optional[str] = None


class RegionRef(Schema):
    id: int
    name: str
    code: str


class RateOut(Schema):
    numerator: int
    denominator: int
    percent: Optional[float]


class CoverageFiguresOut(Schema):
    units: int
    covered: int
    own: int
    joint: int
    fallback: int
    work: int
    uncovered: int
    coverage_rate: RateOut
    own_rate: RateOut
    work_rate: RateOut


class SummaryOut(CoverageFiguresOut):
    closed: int
    suspended: int
    region: Optional[RegionRef]


class RowOut(CoverageFiguresOut):
    key: str
    label: str
    region_id: Optional[int]


class BreakdownOut(Schema):
    by: str
    region: Optional[RegionRef]
    rows: list[RowOut]
    total: CoverageFiguresOut


class CandidateOut(Schema):
    organization_id: int
    name: str
    units: int
    distance_km: Optional[float]
    same_industry: bool
    same_town: bool


class PartnerOut(Schema):
    unit_id: int
    name: str
    distance_km: Optional[float]
    same_industry: bool


class OrgRef(Schema):
    id: int
    name: str


class RecommendationOut(Schema):
    unit_id: int
    action: str
    title: str
    reason: str
    members: int
    formal_members: int
    mobile_members: int
    candidates: list[CandidateOut]
    partners: list[PartnerOut]
    fallback_organization: Optional[OrgRef]


class BlankUnitOut(Schema):
    id: int
    name: str
    region: RegionRef
    employees: int
    members: int
    formal_members: int
    work_covered: bool
    recommendation: RecommendationOut


class BlankSpotsOut(Schema):
    count: int
    page: int
    pages: int
    items: list[BlankUnitOut]
    lowest_regions: list[RowOut]
    most_uncovered_regions: list[RowOut]


class SnapshotOut(Schema):
    month: date
    units: int
    covered: int
    own: int
    work: int
    coverage_rate: RateOut
    own_rate: RateOut
    work_rate: RateOut


class OrgLinkOut(Schema):
    id: int
    name: str
    formation: str


class WorkLinkOut(Schema):
    kind: str
    kind_label: str
    person_name: str


class UnitCoverageOut(Schema):
    unit_id: int
    covered: bool
    own: bool
    work: bool
    organizations: list[OrgLinkOut]
    work_links: list[WorkLinkOut]
    recommendation: RecommendationOut


def _region_ref(region):
    return None if region is None else {"id": region.pk, "name": region.name, "code": region.code}


def _filters(request, params: FilterParams) -> dict:
    filters, _errors = read_filters(request.user, params.dict(), strict=True)
    return filters


@router.get("/summary", response=SummaryOut, summary="覆盖率概况")
def get_summary(request, params: Query[FilterParams]):
    filters = _filters(request, params)
    result = queries.summary(request.user, **filters)
    return {**result.as_dict(), "region": _region_ref(filters["region"])}


@router.get("/breakdown", response=BreakdownOut, summary="按区域/行业/单位类型/规模分组的覆盖率")
def get_breakdown(request, params: Query[FilterParams], by: Literal["region", "industry", "kind", "size"] = "region"):
    filters = _filters(request, params)
    region = filters.pop("region")
    result = queries.breakdown(request.user, by, region, **filters)
    return {"by": by, "region": _region_ref(result.region), "rows": [r.as_dict() for r in result.rows],
            "total": result.total.as_dict()}


@router.get("/blank-spots", response=BlankSpotsOut, summary="空白点及组建建议")
def get_blank_spots(request, params: Query[FilterParams], sort: Literal["employees", "members"] = "employees",
                    page: int = Query(1, ge=1, le=MAX_PAGE), per_page: int = 20):
    filters = _filters(request, params)
    region = filters.pop("region")
    per_page = max(1, min(per_page, 100))
    result = queries.blank_spots(request.user, sort, region, page, per_page, **filters)
    page_obj = result["page"]
    items = [
        {"id": u.pk, "name": u.name, "region": _region_ref(u.region), "employees": u.employees,
         "members": u.members_count, "formal_members": u.formal_count, "work_covered": u.work_covered,
         "recommendation": u.recommendation.as_dict()}
        for u in page_obj.object_list
    ]
    return {
        "count": page_obj.paginator.count, "page": page_obj.number, "pages": page_obj.paginator.num_pages, "items": items,
        "lowest_regions": [r.as_dict() for r in result["lowest_regions"]],
        "most_uncovered_regions": [r.as_dict() for r in result["most_uncovered_regions"]],
    }


@router.get("/snapshots", response=list[SnapshotOut], summary="月度快照（趋势）")
def get_snapshots(request, region: Optional[int] = None, months: int = 24):
    from django.http import Http404

    region_obj = queries.resolve_region(request.user, region)
    if region_obj is not None and not queries.sees_region_totals(request.user, region_obj):
        raise Http404
    return queries.trend(request.user, region_obj, max(1, min(months, 240)))


@router.get("/units/{unit_id}/recommendation", response=UnitCoverageOut, summary="单位覆盖状态与组建建议")
def get_unit_recommendation(request, unit_id: Id):
    unit = Unit.objects.get_for_user(unit_id, request.user)
    return queries.unit_status(unit, request.user).as_dict()
