"""Party members under /api/v1/members.

Citizen ID and phone go out masked only; the plain values come from POST /{id}/unmask, which needs
the ``members.unmask_pii`` permission and leaves an audit record. Ciphertext and keyed hashes never
leave the server. Officers and instructors read the members of their units' organisations as a roster
(accounts.reads): only id, name, organisation and job; the other fields are null and ``roster_only`` is true.
"""
import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import BaseModel

from dangjian.core.schemas import (
    IdPager, PageNumbers, Ref, RefResolver, apply_filters, choice, errors, filter_params, patch_data,
)
from dangjian.core.schemas import Id
from dangjian.core.scoping import Access
from dangjian.members.actions import create_member, unmask_member, update_member
from dangjian.members.filters import MemberFilter
from dangjian.members.models import Category, Education, Gender, Member, MemberStatus
from dangjian.members.visibility import personal_ids, roster_row
from dangjian.organizations.models import Organization
from dangjian.units.models import Unit

router = Router(tags=["members"])
MemberFilterParams = filter_params(MemberFilter, "MemberFilterParams")


# Built from dicts of columns (member_rows), never from model instances: plain pydantic models, no resolvers.
# Fields beyond the roster (accounts.reads.ROSTER_FIELDS) are null in a roster row.
class MemberOut(BaseModel):
    id: int
    name: str
    roster_only: bool = Field(False, description="true: you read this member as a roster (name, organisation, "
                                                 "job); every other field is null")
    gender: Optional[str]
    gender_label: Optional[str]
    id_number_masked: Optional[str]
    phone_masked: Optional[str]
    ethnicity: Optional[str]
    birth_date: Optional[dt.date]
    education: Optional[str]
    education_label: Optional[str]
    category: Optional[str]
    category_label: Optional[str]
    organization: Ref
    join_date: Optional[dt.date]
    confirm_date: Optional[dt.date]
    job: str
    status: Optional[str]
    status_label: Optional[str]
    is_mobile: Optional[bool]
    employer: Optional[Ref]
    dues_standard: Optional[Decimal]
    dues_paid_until: Optional[dt.date]
    created_at: Optional[dt.datetime]
    updated_at: Optional[dt.datetime]


class MemberDetail(MemberOut):
    household_registration: Optional[str]
    residence: Optional[str]


# The columns behind MemberOut / MemberDetail: no ciphertext or keyed hash is ever read here.
LIST_COLUMNS = (
    "id", "name", "gender", "id_number_masked", "phone_masked", "ethnicity", "birth_date", "education", "category",
    "organization_id", "organization__name", "join_date", "confirm_date", "job", "status", "is_mobile",
    "employer_id", "employer__name", "dues_standard", "dues_paid_until", "created_at", "updated_at",
)
DETAIL_COLUMNS = LIST_COLUMNS + ("household_registration", "residence")
CHOICES = {"gender": Gender, "education": Education, "category": Category, "status": MemberStatus}
# The list order; members_list_order_idx serves it (and Meta.ordering is the same).
LIST_ORDER = ("organization_id", "name", "id")


@lru_cache(maxsize=None)
def _labels(language: str) -> dict[str, dict[str, str]]:
    """The choice fields' labels in ``language``, worked out once rather than for every row."""
    return {field: {code: str(label) for code, label in choices.choices} for field, choices in CHOICES.items()}


def member_rows(queryset, detail: bool = False, reader=None) -> list[dict]:
    """MemberOut (or MemberDetail) dicts of ``queryset``'s rows, in one query (two for a reader who reads some
    members in full and others as a roster). ``reader``: the user the rows are for, None for a writer's echo."""
    labels = _labels(translation.get_language())
    rows = list(queryset.values(*(DETAIL_COLUMNS if detail else LIST_COLUMNS)))
    full = personal_ids(reader, [row["id"] for row in rows]) if reader is not None else None
    for i, row in enumerate(rows):
        for field, names in labels.items():
            row[f"{field}_label"] = names.get(row[field], row[field])
        row["organization"] = {"id": row.pop("organization_id"), "name": row.pop("organization__name")}
        employer_id, employer_name = row.pop("employer_id"), row.pop("employer__name")
        row["employer"] = None if employer_id is None else {"id": employer_id, "name": employer_name}
        if full is not None and row["id"] not in full:
            rows[i] = roster_row(row)
    return rows


def member_pages(queryset, reader) -> IdPager:
    """A scoped, filtered member queryset as pages in list order (see core.schemas.IdPager), as ``reader``
    may read them."""

    def page_rows(ids: list[int]) -> list[dict]:
        rows = {row["id"]: row for row in member_rows(Member.objects.filter(pk__in=ids).order_by(), reader=reader)}
        return [rows[pk] for pk in ids if pk in rows]

    return IdPager(queryset, LIST_ORDER, page_rows)


def detail_row(queryset, reader=None) -> dict:
    rows = member_rows(queryset, detail=True, reader=reader)
    if not rows:
        raise Http404
    return rows[0]


class MemberWrite(Schema):
    name: str
    gender: choice(Gender)
    id_number: str = Field(description="18-digit citizen ID; stored encrypted, shown masked")
    phone: str = Field("", description="mobile or landline; stored encrypted, shown masked")
    ethnicity: str = "汉族"
    birth_date: dt.date
    education: choice(Education, blank=True) = ""
    category: choice(Category) = Category.FORMAL.value
    organization: Id = Field(description="branch or party group id (within your write scope)")
    join_date: dt.date
    confirm_date: Optional[dt.date] = None
    job: str = ""
    household_registration: str = ""
    residence: str = ""
    status: choice(MemberStatus) = MemberStatus.NORMAL.value
    is_mobile: bool = False
    employer: Optional[Id] = Field(None, description="unit id (within your read scope)")
    dues_standard: Optional[Decimal] = Field(None, ge=0, max_digits=10, decimal_places=2)
    dues_paid_until: Optional[dt.date] = None


class Unmasked(Schema):
    id_number: str
    phone: str


def _resolve(request, data: dict) -> dict:
    refs = RefResolver(request.auth)
    refs.one(data, "organization", Organization)
    refs.one(data, "employer", Unit, for_write=False)  # naming an employer doesn't change the unit
    refs.check()
    return data


@router.get("", response={200: list[MemberOut], **errors(422)}, summary="党员列表（脱敏）")
@paginate(PageNumbers)
def list_members(request: HttpRequest, filters: Query[MemberFilterParams]):
    """Members in your scope, by organisation then name; ``q`` matches a name, or a full citizen ID / phone."""
    members = apply_filters(MemberFilter.for_user(request.auth), filters, Member.objects.scoped(request.auth),
                            request.auth)
    return member_pages(members, request.auth)


@router.get("/{int:member_id}", response={200: MemberDetail, **errors(404)}, summary="党员详情（脱敏）")
def get_member(request: HttpRequest, member_id: Id):
    return detail_row(Member.objects.scoped(request.auth).filter(pk=member_id), reader=request.auth)


@router.post("", response={201: MemberDetail, **errors(403, 422, 429)}, summary="新增党员")
def post_member(request: HttpRequest, payload: MemberWrite):
    """An ID number already registered answers 422, naming where only if that member is in your scope;
    every such look-up is audited, and too many outside your scope in a short time answer 429."""
    member = create_member(request.auth, **_resolve(request, payload.dict()))
    # Echo what this user just wrote, read without the scope filter: a writer may create something their
    # read scope doesn't show (e.g. a secretary's new unit that no organisation covers yet).
    return Status(201, detail_row(Member.objects.filter(pk=member.pk)))


@router.patch("/{int:member_id}", response={200: MemberDetail, **errors(403, 404, 422, 429)}, summary="修改党员")
def patch_member(request: HttpRequest, member_id: Id, payload: PatchDict[MemberWrite]):
    member = Member.objects.get_for_user(member_id, request.auth, for_write=True)
    update_member(request.auth, member, **_resolve(request, patch_data(payload, MemberWrite)))
    return detail_row(Member.objects.filter(pk=member.pk))


@router.post(
    "/{int:member_id}/unmask", response={200: Unmasked, **errors(403, 404)}, summary="查看完整身份证号和电话（留痕）"
)
def post_member_unmask(request: HttpRequest, member_id: Id):
    """Full citizen ID and phone; needs the members.unmask_pii permission, and is audited."""
    member = Member.objects.get_for_user(member_id, request.auth, Access.PERSONAL)  # never a roster row
    try:
        return unmask_member(request.auth, member)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
