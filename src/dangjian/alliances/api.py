"""Linkage groups, pairings, alliances, the talent pool and the market under /api/v1/alliances, scoped like the
pages (the market and the talent pool are open to every user, as on the pages)."""
import datetime as dt
from decimal import Decimal
from typing import Optional

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.alliances import actions, queries
from dangjian.alliances.matching import matches_for
from dangjian.alliances.models import Alliance, Expert, Item, ItemCategory, ItemKind, LinkGroup, PairKind, Scheme
from dangjian.alliances.pairing import propose as propose_pairs
from dangjian.core.schemas import PageNumbers, RefResolver, choice, errors
from dangjian.core.schemas import Id
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit

router = Router(tags=["alliances"])


class SchemeIn(Schema):
    region: Id
    units: list[Id] = Field(description="the units to group (e.g. the 158 enterprises of a district)")
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
    unit: Id
    group: Id


class MarketItemIn(Schema):
    unit: Id
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
    resource: Id
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
def get_scheme(request: HttpRequest, scheme_id: Id):
    return _scheme_out(_scheme(request, scheme_id))


@router.post("/schemes/{int:scheme_id}/moves", response={200: SchemeOut, **errors(404, 422)},
             summary="调整单位所在的组（并重新评分）")
def post_move(request: HttpRequest, scheme_id: Id, payload: MoveIn):
    scheme = _scheme(request, scheme_id)
    group = LinkGroup.objects.filter(pk=payload.group, scheme=scheme).first()
    unit = Unit.objects.get_for_user(payload.unit, request.auth)
    if group is None:
        raise Http404
    actions.move_unit(request.auth, scheme, unit, group)
    return _scheme_out(scheme)


@router.post("/schemes/{int:scheme_id}/accept", response={200: SchemeOut, **errors(404, 422)}, summary="确定方案")
def post_accept(request: HttpRequest, scheme_id: Id):
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
def get_matches(request: HttpRequest, item_id: Id, limit: int = 10):
    return matches_for(_item(item_id), max(1, min(limit, 50)))


@router.post("/items/{int:item_id}/deals", response={201: DealOut, **errors(404, 422)}, summary="登记对接成交")
def post_deal(request: HttpRequest, item_id: Id, payload: DealIn):
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


class PairOut(Schema):
    id: int
    kind: str
    region_id: int
    strong_id: Optional[int]
    weak_id: Optional[int]
    unit_id: Optional[int]
    village_id: Optional[int]
    partner: str
    start: dt.date
    outcome: str
    actions_done: list[str] = Field(description="the six required actions done (enterprise–village pairs)")

    @staticmethod
    def resolve_actions_done(obj):
        return [a.action for a in obj.actions.all()]


class PairIn(Schema):
    kind: choice(PairKind)
    start: dt.date
    strong: Optional[Id] = None
    weak: Optional[Id] = None
    unit: Optional[Id] = None
    village: Optional[Id] = None
    partner: str = ""


class AllianceOut(Schema):
    id: int
    name: str
    industry: str
    region_id: int
    description: str


class ExpertOut(Schema):
    id: int
    name: str
    title: str
    skills: str
    unit_id: int


@router.get("/pairs", response={200: list[PairOut], **errors(422)}, summary="结对共建")
@paginate(PageNumbers)
def list_pairs(request: HttpRequest, kind: choice(PairKind, blank=True) = ""):
    return queries.pairs(request.auth, kind).prefetch_related("actions").order_by("kind", "-start", "pk")


@router.post("/pairs", response={201: PairOut, **errors(404, 422)}, summary="建立结对")
def post_pair(request: HttpRequest, payload: PairIn):
    region = queries.default_region(request.auth)
    if region is None:
        raise Http404
    refs = RefResolver(request.auth)
    data = payload.dict()
    for field, model in (("strong", Organization), ("weak", Organization), ("unit", Unit), ("village", Region)):
        refs.one(data, field, model, for_write=False)
    refs.check()
    pair = actions.create_pair(request.auth, region, data["kind"], data["start"], strong=data["strong"],
                               weak=data["weak"], unit=data["unit"], village=data["village"], partner=data["partner"])
    return Status(201, pair)


@router.get("/pairs/completion", response={200: list[dict], **errors()}, summary="企村共建“六个一”完成率")
def get_completion(request: HttpRequest):
    """Per town, and last the whole scope (region null)."""
    return queries.checklist_completion(request.auth)


@router.get("/alliances", response={200: list[AllianceOut], **errors()}, summary="党建联盟")
@paginate(PageNumbers)
def list_alliances(request: HttpRequest):
    return Alliance.objects.scoped(request.auth).order_by("name", "pk")


@router.get("/experts", response={200: list[ExpertOut], **errors()}, summary="人才库")
@paginate(PageNumbers)
def list_experts(request: HttpRequest, q: str = ""):
    experts = Expert.objects.order_by("name", "pk")
    return experts.filter(skills__icontains=q) if q else experts


@router.get("/dashboard", response={200: dict, **errors()}, summary="联建共建总览")
def get_dashboard(request: HttpRequest):
    """Linkage groups active this half year, checklist completion, needs, resources, deals and their value."""
    return queries.dashboard(request.auth)
