"""Party members under /api/v1/members.

Citizen ID and phone go out masked only; the plain values come from POST /{id}/unmask, which needs
the ``members.unmask_pii`` permission and leaves an audit record. Ciphertext and keyed hashes never
leave the server.
"""
import datetime as dt
from decimal import Decimal
from typing import Optional

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.core.schemas import Ref, RefResolver, apply_filters, choice, errors, filter_params, patch_data
from dangjian.members.actions import create_member, unmask_member, update_member
from dangjian.members.filters import MemberFilter
from dangjian.members.models import Category, Education, Gender, Member, MemberStatus
from dangjian.organizations.models import Organization
from dangjian.units.models import Unit

router = Router(tags=["members"])
MemberFilterParams = filter_params(MemberFilter, "MemberFilterParams")


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    gender_label: str
    id_number_masked: str
    phone_masked: str
    ethnicity: str
    birth_date: dt.date
    education: str
    education_label: str
    category: str
    category_label: str
    organization: Ref
    join_date: dt.date
    confirm_date: Optional[dt.date]
    job: str
    status: str
    status_label: str
    is_mobile: bool
    employer: Optional[Ref]
    dues_standard: Optional[Decimal]
    dues_paid_until: Optional[dt.date]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_gender_label(obj):
        return obj.get_gender_display()

    @staticmethod
    def resolve_education_label(obj):
        return obj.get_education_display()

    @staticmethod
    def resolve_category_label(obj):
        return obj.get_category_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class MemberDetail(MemberOut):
    household_registration: str
    residence: str


class MemberWrite(Schema):
    name: str
    gender: choice(Gender)
    id_number: str = Field(description="18-digit citizen ID; stored encrypted, shown masked")
    phone: str = Field("", description="mobile or landline; stored encrypted, shown masked")
    ethnicity: str = "汉族"
    birth_date: dt.date
    education: choice(Education, blank=True) = ""
    category: choice(Category) = Category.FORMAL.value
    organization: int = Field(description="branch or party group id (within your write scope)")
    join_date: dt.date
    confirm_date: Optional[dt.date] = None
    job: str = ""
    household_registration: str = ""
    residence: str = ""
    status: choice(MemberStatus) = MemberStatus.NORMAL.value
    is_mobile: bool = False
    employer: Optional[int] = Field(None, description="unit id (within your read scope)")
    dues_standard: Optional[Decimal] = Field(None, ge=0, max_digits=10, decimal_places=2)
    dues_paid_until: Optional[dt.date] = None


class Unmasked(Schema):
    id_number: str
    phone: str


def annotated():
    return Member.objects.select_related("organization", "employer")


def _resolve(request, data: dict) -> dict:
    refs = RefResolver(request.auth)
    refs.one(data, "organization", Organization)
    refs.one(data, "employer", Unit, for_write=False)  # naming an employer doesn't change the unit
    refs.check()
    return data


@router.get("", response={200: list[MemberOut], **errors(422)}, summary="党员列表（脱敏）")
@paginate
def list_members(request: HttpRequest, filters: Query[MemberFilterParams]):
    """Members in your scope; ``q`` matches a name, or a full citizen ID / phone number."""
    members = annotated().scoped(request.auth).order_by("organization__path", "name", "id")
    return apply_filters(MemberFilter, filters, members, request.auth)


@router.get("/{int:member_id}", response={200: MemberDetail, **errors(404)}, summary="党员详情（脱敏）")
def get_member(request: HttpRequest, member_id: int):
    return annotated().get_for_user(member_id, request.auth)


@router.post("", response={201: MemberDetail, **errors(403, 422)}, summary="新增党员")
def post_member(request: HttpRequest, payload: MemberWrite):
    member = create_member(request.auth, **_resolve(request, payload.dict()))
    # Echo what this user just wrote, read without the scope filter: a writer may create something their
    # read scope doesn't show (e.g. a secretary's new unit that no organisation covers yet).
    return Status(201, annotated().get(pk=member.pk))


@router.patch("/{int:member_id}", response={200: MemberDetail, **errors(403, 404, 422)}, summary="修改党员")
def patch_member(request: HttpRequest, member_id: int, payload: PatchDict[MemberWrite]):
    member = Member.objects.get_for_user(member_id, request.auth, for_write=True)
    update_member(request.auth, member, **_resolve(request, patch_data(payload, MemberWrite)))
    return annotated().get(pk=member.pk)


@router.post(
    "/{int:member_id}/unmask", response={200: Unmasked, **errors(403, 404)}, summary="查看完整身份证号和电话（留痕）"
)
def post_member_unmask(request: HttpRequest, member_id: int):
    """Full citizen ID and phone; needs the members.unmask_pii permission, and is audited."""
    member = Member.objects.get_for_user(member_id, request.auth)
    try:
        return unmask_member(request.auth, member)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
