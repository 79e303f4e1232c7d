"""Regions (区县 / 镇街 / 园区 / 村社区 / 楼宇 / 网格) under /api/v1/regions."""
from typing import Optional

from django.http import HttpRequest
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.core.schemas import (
    PageNumbers, RefResolver, apply_filters, choice, errors, filter_params, parent_id, patch_data,
)
from dangjian.core.schemas import Id, Year
from dangjian.regions.actions import create_region, update_region
from dangjian.regions.filters import RegionFilter
from dangjian.regions.models import Region, RegionKind

router = Router(tags=["regions"])
RegionFilterParams = filter_params(RegionFilter, "RegionFilterParams")


class RegionOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    code: str
    code_year: Optional[int]
    lng: Optional[float]
    lat: Optional[float]
    depth: int
    parent_id: Optional[int]

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_parent_id(obj):
        return obj.parent_pk


class RegionWrite(Schema):
    name: str
    kind: choice(RegionKind)
    code: str = ""
    code_year: Optional[Year] = None
    lng: Optional[float] = None
    lat: Optional[float] = None


class RegionCreate(RegionWrite):
    parent: Optional[Id] = Field(None, description="parent region id (within your write scope); only a system "
                                  "administrator may omit it")


def annotated():
    return Region.objects.annotate(parent_pk=parent_id(Region))


@router.get("", response={200: list[RegionOut], **errors(422)}, summary="区域列表")
@paginate(PageNumbers)
def list_regions(request: HttpRequest, filters: Query[RegionFilterParams]):
    """Regions in your scope, in tree order; filters as on the regions page."""
    regions = annotated().scoped(request.auth).order_by("path")
    return apply_filters(RegionFilter, filters, regions, request.auth)


@router.get("/{int:region_id}", response={200: RegionOut, **errors(404)}, summary="区域详情")
def get_region(request: HttpRequest, region_id: Id):
    return annotated().get_for_user(region_id, request.auth)


@router.post("", response={201: RegionOut, **errors(403, 422)}, summary="新增区域")
def post_region(request: HttpRequest, payload: RegionCreate):
    data = payload.dict()
    refs = RefResolver(request.auth)
    refs.one(data, "parent", Region)
    refs.check()
    region = create_region(request.auth, data.pop("parent"), **data)
    # Echo what this user just wrote, read without the scope filter: a writer may create something their
    # read scope doesn't show (e.g. a secretary's new unit that no organisation covers yet).
    return Status(201, annotated().get(pk=region.pk))


@router.patch("/{int:region_id}", response={200: RegionOut, **errors(403, 404, 422)}, summary="修改区域")
def patch_region(request: HttpRequest, region_id: Id, payload: PatchDict[RegionWrite]):
    region = Region.objects.get_for_user(region_id, request.auth, for_write=True)
    update_region(request.auth, region, **patch_data(payload, RegionWrite))
    return annotated().get(pk=region.pk)


@router.get("/{int:region_id}/children", response={200: list[RegionOut], **errors(404)}, summary="下级区域")
@paginate(PageNumbers)
def list_region_children(request: HttpRequest, region_id: Id):
    """The direct sub-regions you may see."""
    region = Region.objects.get_for_user(region_id, request.auth)
    children = annotated().scoped(request.auth).filter(path__startswith=region.path, depth=region.depth + 1)
    return children.order_by("path")
