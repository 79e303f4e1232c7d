"""Linkage groups, pairings and the market under /api/v1/alliances, scoped like the pages."""
import datetime as dt
from decimal import Decimal
from typing import Optional

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.alliances import actions, queries
from dangjian.alliances.matching import matches_for
from dangjian.alliances.models import Item, ItemCategory, ItemKind, LinkGroup, Scheme
from dangjian.alliances.pairing import propose as propose_pairs
from dangjian.core.schemas import PageNumbers, choice, errors
from dangjian.regions.models import Region
from dangjian.units.models import Unit

router = Router(tags=["alliances"])


class SchemeIn(Schema):
    region: int
    units: list[int] = Field(description="the units to group (e.g. the 158 enterprises of a district)")
    groups: int = Field(ge=2)
    seed: int = Field(1, ge=1)
    name: str = ""


class LinkMemberOut(Schema):
    unit_id: int
    unit_name: str
    strength: float
    role: str = Field(description="strong / middle / weak")
    same_town: int
    same_industry: int


class LinkGroupOut(Schema):
    id: int
    number: int
    name: str
    leader_id: Optional[int]
    activities_this_half: int
    overdue: bool
    members: list[LinkMemberOut]


class SchemeOut(Schema):
    id: int
    name: str
    region_id: int
    accepted: bool
    score: float = Field(description="the objective per unit, lower is better")
    terms: dict
    groups: list[LinkGroupOut]


class MoveIn(Schema):
    unit: int
    group: int


class MarketItemIn(Schema):
    unit: int
    kind: choice(ItemKind)
    title: str = Field(max_length=100)
    description: str
    category: choice(ItemCategory)
    valid_until: dt.date
    contact: str = Field(max_length=50)
    quantity: str = ""


class MarketItemOut(Schema):
    id: int
    kind: str
    unit_id: int
    title: str
    description: str
    category: str
    quantity: str
    valid_until: dt.date
    contact: str


class MatchOut(Schema):
    item: MarketItemOut
    score: float
    text: float
    same_category: bool
    km: Optional[float]
    shared: list[str]


class DealIn(Schema):
    resource: int
    value: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    date: dt.date
    note: str = ""


class DealOut(Schema):
    id: int
    need_id: int
    resource_id: int
    value: Decimal
    date: dt.date


class PairProposalOut(Schema):
    strong_id: int
    weak_id: int
    km: float
    same_industry: bool


def _scheme_out(scheme: Scheme) -> dict:
    view = queries.scheme_view(scheme)
    return {"id": scheme.pk, "name": scheme.name, "region_id": scheme.region_id, "accepted": scheme.accepted,
            "score": view["cost"], "terms": view["terms"],
            "groups": [{"id": gv.group.pk, "number": gv.group.number, "name": gv.group.name,
                        "leader_id": gv.group.leader_id, "activities_this_half": gv.activities_this_half,
                        "overdue": gv.overdue,
                        "members": [{"unit_id": u.pk, "unit_name": u.name, "strength": s, "role": why["role"],
                                     "same_town": why["same_town"], "same_industry": why["same_industry"]}
                                    for u, s, why, _moved in gv.members]} for gv in view["groups"]]}


def _scheme(request, scheme_id) -> Scheme:
    return Scheme.objects.select_related("region").get_for_user(scheme_id, request.auth)


@router.post("/schemes", response={201: SchemeOut, **errors(404, 422)}, summary="生成联动组方案")
def post_scheme(request: HttpRequest, payload: SchemeIn):
    region = Region.objects.get_for_user(payload.region, request.auth)
    scheme = actions.propose_scheme(request.auth, region, payload.units, payload.groups, payload.name, payload.seed)
    return Status(201, _scheme_out(scheme))


@router.get("/schemes/{int:scheme_id}", response={200: SchemeOut, **errors(404)}, summary="联动组方案")
def get_scheme(request: HttpRequest, scheme_id: int):
    return _scheme_out(_scheme(request, scheme_id))


@router.post("/schemes/{int:scheme_id}/moves", response={200: SchemeOut, **errors(404, 422)},
             summary="调整单位所在的组（并重新评分）")
def post_move(request: HttpRequest, scheme_id: int, payload: MoveIn):
    scheme = _scheme(request, scheme_id)
    group = LinkGroup.objects.filter(pk=payload.group, scheme=scheme).first()
    unit = Unit.objects.get_for_user(payload.unit, request.auth)
    if group is None:
        raise Http404
    actions.move_unit(request.auth, scheme, unit, group)
    return _scheme_out(scheme)


@router.post("/schemes/{int:scheme_id}/accept", response={200: SchemeOut, **errors(404, 422)}, summary="确定方案")
def post_accept(request: HttpRequest, scheme_id: int):
    scheme = actions.accept_scheme(request.auth, _scheme(request, scheme_id))
    return _scheme_out(scheme)


@router.get("/items", response={200: list[MarketItemOut], **errors(422)}, summary="需求和资源")
@paginate(PageNumbers)
def list_items(request: HttpRequest, kind: choice(ItemKind, blank=True) = "", q: str = ""):
    items = queries.market(kind).order_by("-created_at", "-id")
    return items.filter(title__icontains=q) if q else items


@router.post("/items", response={201: MarketItemOut, **errors(404, 422)}, summary="发布需求或资源")
def post_item(request: HttpRequest, payload: MarketItemIn):
    unit = Unit.objects.get_for_user(payload.unit, request.auth)
    data = payload.dict()
    data.pop("unit")
    return Status(201, actions.publish_item(request.auth, unit, **data))


def _item(item_id) -> Item:
    item = Item.objects.select_related("unit").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@router.get("/items/{int:item_id}/matches", response={200: list[MatchOut], **errors(404)},
            summary="匹配的资源（或需求）及理由")
def get_matches(request: HttpRequest, item_id: int, limit: int = 10):
    return matches_for(_item(item_id), max(1, min(limit, 50)))


@router.post("/items/{int:item_id}/deals", response={201: DealOut, **errors(404, 422)}, summary="登记对接成交")
def post_deal(request: HttpRequest, item_id: int, payload: DealIn):
    need = _item(item_id)
    resource = Item.objects.select_related("unit").filter(pk=payload.resource).first()
    return Status(201, actions.record_deal(request.auth, need, resource, payload.value, payload.date, payload.note))


@router.get("/pairs/proposals", response={200: list[PairProposalOut], **errors()}, summary="强弱结对建议")
def get_pair_proposals(request: HttpRequest):
    region = queries.default_region(request.auth)
    if region is None:
        return []
    strong, weak, _orgs, _strength = queries.strong_weak_sides(request.auth, region)
    return propose_pairs(strong, weak)
