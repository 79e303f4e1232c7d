"""Party organisations (党委、党总支、党支部、党小组) under /api/v1/organizations."""
import datetime as dt
from typing import Optional

from django.http import HttpRequest
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.core.schemas import (
    PageNumbers, Ref, RefResolver, UnitBrief, apply_filters, choice, count_of, errors, filter_params, parent_id,
    patch_data,
)
from dangjian.core.schemas import Id
from dangjian.members.api import MemberOut, member_pages
from dangjian.members.models import Member
from dangjian.organizations.actions import create_organization, set_units, units_warning, update_organization
from dangjian.organizations.filters import OrganizationFilter
from dangjian.members.visibility import public_only
from dangjian.organizations.models import (
    CommitteeMember, CommitteePost, Formation, Organization, OrgKind, OrgStatus, OrgUnit,
)
from dangjian.organizations.terms import reelection_due
from dangjian.regions.models import Region
from dangjian.units.models import Unit

router = Router(tags=["organizations"])
OrganizationFilterParams = filter_params(OrganizationFilter, "OrganizationFilterParams")


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    formation: str
    formation_label: str
    status: str
    status_label: str
    region: Ref
    parent_id: Optional[int]
    depth: int
    founded: Optional[dt.date]
    contact_phone: str
    term_start: Optional[dt.date]
    term_end: Optional[dt.date]
    reelection_due: bool = Field(description="the term ends within the notice period, or has ended")
    unit_count: int = Field(description="units covered")
    member_count: int = Field(description="members in normal standing directly in this organisation")

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_formation_label(obj):
        return obj.get_formation_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_parent_id(obj):
        return obj.parent_pk

    @staticmethod
    def resolve_reelection_due(obj):
        return reelection_due(obj.term_end)


class CommitteeOut(Schema):
    member: Ref
    post: str
    post_label: str
    start: dt.date
    end: Optional[dt.date]

    @staticmethod
    def resolve_post_label(obj):
        return obj.get_post_display()


class OrganizationDetail(OrganizationOut):
    units: list[UnitBrief] = Field(description="covered units you may see (unit_count counts all)")
    committee: list[CommitteeOut] = Field(description="current committee (posts not ended)")
    warning: str = Field(description="rule warning, e.g. a joint branch covering more units than the local rule")

    @staticmethod
    def resolve_units(obj):
        return obj.visible_units

    @staticmethod
    def resolve_committee(obj):
        return obj.current_committee

    @staticmethod
    def resolve_warning(obj):
        return units_warning(obj, obj.unit_count)


class OrganizationWrite(Schema):
    name: str
    kind: choice(OrgKind)
    formation: choice(Formation) = Formation.OWN.value
    region: Id = Field(description="region id (within your write scope)")
    founded: Optional[dt.date] = None
    status: choice(OrgStatus) = OrgStatus.ACTIVE.value
    contact_phone: str = ""
    term_start: Optional[dt.date] = None
    term_end: Optional[dt.date] = Field(None, description="computed from term_start and the kind when omitted")


class OrganizationCreate(OrganizationWrite):
    parent: Optional[Id] = Field(None, description="parent organisation id (within your write scope)")
    units: list[Id] = Field([], description="ids of the covered units (within your write scope)")


class UnitsIn(Schema):
    units: list[Id] = Field(description="ids of all units the organisation covers from now on")


class UnitsOut(Schema):
    warning: str
    unit_count: int
    units: list[UnitBrief]


def annotated():
    return Organization.objects.select_related("region").annotate(
        parent_pk=parent_id(Organization),
        unit_count=count_of(OrgUnit.objects.all(), "organization"),
        member_count=count_of(Member.objects.current(), "organization"),
    )


def visible_units(request, org: Organization) -> list[Unit]:
    return list(Unit.objects.scoped(request.auth).filter(org_links__organization=org).order_by("name", "id"))


def detail(request, org: Organization) -> Organization:
    org.visible_units = visible_units(request, org)
    committee = CommitteeMember.objects.filter(organization=org, end__isnull=True).select_related("member")
    if public_only(request.auth):  # of the committee, only the secretary's name is a public fact
        committee = committee.filter(post=CommitteePost.SECRETARY)
    org.current_committee = list(committee)
    return org


@router.get("", response={200: list[OrganizationOut], **errors(422)}, summary="党组织列表")
@paginate(PageNumbers)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilterParams]):
    """Organisations in your scope, in tree order; filters as on the organisations page."""
    orgs = annotated().scoped(request.auth).order_by("path")
    return apply_filters(OrganizationFilter, filters, orgs, request.auth)


@router.get(
    "/{int:org_id}", response={200: OrganizationDetail, **errors(404)}, summary="党组织详情（含覆盖单位、班子、任期）"
)
def get_organization(request: HttpRequest, org_id: Id):
    return detail(request, annotated().get_for_user(org_id, request.auth))


@router.post("", response={201: OrganizationDetail, **errors(403, 422)}, summary="新建党组织")
def post_organization(request: HttpRequest, payload: OrganizationCreate):
    data = payload.dict()
    refs = RefResolver(request.auth)
    refs.one(data, "parent", Organization)
    refs.one(data, "region", Region)
    units = refs.many(data.pop("units"), "units", Unit)
    refs.check()
    org = create_organization(request.auth, data.pop("parent"), units=units, **data)
    # Echo what this user just wrote, read without the scope filter: a writer may create something their
    # read scope doesn't show (e.g. a secretary's new unit that no organisation covers yet).
    return Status(201, detail(request, annotated().get(pk=org.pk)))


@router.patch("/{int:org_id}", response={200: OrganizationDetail, **errors(403, 404, 422)}, summary="修改党组织")
def patch_organization(request: HttpRequest, org_id: Id, payload: PatchDict[OrganizationWrite]):
    org = Organization.objects.get_for_user(org_id, request.auth, for_write=True)
    data = patch_data(payload, OrganizationWrite)
    refs = RefResolver(request.auth)
    refs.one(data, "region", Region)
    refs.check()
    update_organization(request.auth, org, **data)
    return detail(request, annotated().get(pk=org.pk))


@router.put("/{int:org_id}/units", response={200: UnitsOut, **errors(403, 404, 422)}, summary="设置覆盖单位")
def put_organization_units(request: HttpRequest, org_id: Id, payload: UnitsIn):
    """Replace the covered units; a joint branch over the local limit is saved and warned about."""
    org = Organization.objects.get_for_user(org_id, request.auth, for_write=True)
    refs = RefResolver(request.auth)
    units = refs.many(payload.units, "units", Unit)
    refs.check()
    warning = set_units(request.auth, org, units)
    return {"warning": warning, "unit_count": len(units), "units": visible_units(request, org)}


@router.get("/{int:org_id}/children", response={200: list[OrganizationOut], **errors(404)}, summary="下级党组织")
@paginate(PageNumbers)
def list_organization_children(request: HttpRequest, org_id: Id):
    """The direct sub-organisations you may see."""
    org = Organization.objects.get_for_user(org_id, request.auth)
    children = annotated().scoped(request.auth).filter(path__startswith=org.path, depth=org.depth + 1)
    return children.order_by("path")


@router.get("/{int:org_id}/members", response={200: list[MemberOut], **errors(404, 422)}, summary="党组织的党员")
@paginate(PageNumbers)
def list_organization_members(request: HttpRequest, org_id: Id, subtree: bool = False):
    """Members you may see in the organisation (with ``subtree=true`` also in the ones below it)."""
    org = Organization.objects.get_for_user(org_id, request.auth)
    members = Member.objects.scoped(request.auth)
    members = members.filter(organization__path__startswith=org.path) if subtree else members.filter(organization=org)
    return member_pages(members, request.auth)
