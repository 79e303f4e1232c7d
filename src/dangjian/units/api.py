"""Units (非公企业、社会组织…) under /api/v1/units."""
import datetime as dt
from typing import Optional

from django.http import HttpRequest
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.core.schemas import (
    OrgBrief, PageNumbers, Ref, RefResolver, apply_filters, choice, errors, filter_params, patch_data,
)
from dangjian.core.schemas import Id
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
from dangjian.units.actions import create_unit, update_unit
from dangjian.units.filters import UnitFilter, covered_exists
from dangjian.units.industry import SECTIONS
from dangjian.units.models import SizeBand, Unit, UnitKind, UnitStatus

router = Router(tags=["units"])
UnitFilterParams = filter_params(UnitFilter, "UnitFilterParams")


class UnitOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    kind_label: str
    industry_section: str
    industry_section_label: str
    industry_division: str
    employees: int
    size_band: str
    size_band_label: str
    above_size: bool
    region: Ref
    address: str
    lng: Optional[float]
    lat: Optional[float]
    status: str
    status_label: str
    founded: Optional[dt.date]
    covered: bool = Field(description="covered by an active organisation")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_industry_section_label(obj):
        return obj.get_industry_section_display()

    @staticmethod
    def resolve_size_band_label(obj):
        return str(SizeBand(obj.size_band).label)

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class UnitDetail(UnitOut):
    organizations: list[OrgBrief] = Field(description="organisations covering the unit (those you may see)")

    @staticmethod
    def resolve_organizations(obj):
        return obj.visible_organizations


class UnitWrite(Schema):
    name: str
    credit_code: str = ""
    kind: choice(UnitKind) = UnitKind.ENTERPRISE.value
    industry_section: choice(list(SECTIONS.items()))
    industry_division: str = ""
    employees: int = Field(0, ge=0)
    above_size: bool = False
    region: Id = Field(description="region id (within your write scope)")
    address: str = ""
    lng: Optional[float] = Field(None, ge=-180, le=180, description="longitude; give both lng and lat, or neither")
    lat: Optional[float] = Field(None, ge=-90, le=90, description="latitude; give both lng and lat, or neither")
    status: choice(UnitStatus) = UnitStatus.OPERATING.value
    founded: Optional[dt.date] = None


def annotated():
    return Unit.objects.select_related("region").annotate(covered=covered_exists())


def detail(request, unit: Unit) -> Unit:
    unit.visible_organizations = list(
        Organization.objects.scoped(request.auth).filter(unit_links__unit=unit).order_by("path")
    )
    return unit


@router.get("", response={200: list[UnitOut], **errors(422)}, summary="单位列表")
@paginate(PageNumbers)
def list_units(request: HttpRequest, filters: Query[UnitFilterParams]):
    """Units in your scope, by name; filters as on the units page."""
    units = annotated().scoped(request.auth).order_by("name", "id")
    return apply_filters(UnitFilter, filters, units, request.auth)


@router.get("/{int:unit_id}", response={200: UnitDetail, **errors(404)}, summary="单位详情（含覆盖党组织）")
def get_unit(request: HttpRequest, unit_id: Id):
    return detail(request, annotated().get_for_user(unit_id, request.auth))


def _resolve(request, data: dict) -> dict:
    refs = RefResolver(request.auth)
    refs.one(data, "region", Region)
    refs.check()
    return data


@router.post("", response={201: UnitDetail, **errors(403, 422)}, summary="新增单位")
def post_unit(request: HttpRequest, payload: UnitWrite):
    unit = create_unit(request.auth, **_resolve(request, payload.dict()))
    # Echo what this user just wrote, read without the scope filter: a writer may create something their
    # read scope doesn't show (e.g. a secretary's new unit that no organisation covers yet).
    return Status(201, detail(request, annotated().get(pk=unit.pk)))


@router.patch("/{int:unit_id}", response={200: UnitDetail, **errors(403, 404, 422)}, summary="修改单位")
def patch_unit(request: HttpRequest, unit_id: Id, payload: PatchDict[UnitWrite]):
    unit = Unit.objects.get_for_user(unit_id, request.auth, for_write=True)
    update_unit(request.auth, unit, **_resolve(request, patch_data(payload, UnitWrite)))
    return detail(request, annotated().get(pk=unit.pk))
