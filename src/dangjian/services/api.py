"""Service to enterprises under /api/v1/services: requests (raise, act, rate), officers and assignments,
visits, service coverage with a suggested assignment, and the request dashboard. All scoped like the pages."""
import datetime as dt
from typing import Optional

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.core.schemas import PageNumbers, apply_filters, choice, errors, filter_params
from dangjian.core.schemas import Id
from dangjian.services import actions, queries, states
from dangjian.services.filters import RequestFilter
from dangjian.services.models import Assignment, Category, Officer, Request, departments_for
from dangjian.units.models import Unit

router = Router(tags=["services"])
RequestFilterParams = filter_params(RequestFilter, "RequestFilterParams")


class RequestOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    channel: str
    category: str
    title: str
    description: str
    state: str
    state_label: str
    department_id: Optional[int]
    officer_id: Optional[int]
    deadline: Optional[dt.date]
    deadline_provisional: bool = Field(description="true when the deadline was counted through a year whose "
                                                   "holiday arrangement is not known yet (only weekends and "
                                                   "statutory holidays skipped): it may change")
    reply: str
    submitted_at: dt.datetime
    replied_at: Optional[dt.datetime]
    closed_at: Optional[dt.datetime]
    rating: Optional[int]
    rating_comment: str
    version: int = Field(description="send it back with an action: if someone acted since, the action answers 422")

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class EventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: Optional[str] = Field(None, alias="actor.username")
    note: str
    at: dt.datetime


class RequestDetail(RequestOut):
    events: list[EventOut]
    actions: list[str] = Field(description="the actions you may take now")


class RequestIn(Schema):
    unit: Id
    category: choice(Category)
    title: str = Field(max_length=100)
    description: str


class ActIn(Schema):
    action: choice(list((k, k) for k in states.STEPS))
    version: int
    note: str = ""
    department: Optional[Id] = None
    deadline: Optional[dt.date] = None


class RateIn(Schema):
    rating: int
    comment: str = Field("", max_length=300)


class OfficerOut(Schema):
    id: int
    name: str
    kind: str
    department_id: int
    region_id: int
    active: bool


class AssignmentOut(Schema):
    id: int
    officer_id: int
    unit_id: int
    start: dt.date
    end: Optional[dt.date]


class AssignmentIn(Schema):
    officer: Id
    unit: Id
    start: dt.date


class VisitIn(Schema):
    unit: Id
    date: dt.date
    purpose: str = Field(max_length=200)
    findings: str = ""
    follow_up: str = ""


class VisitOut(Schema):
    id: int
    officer_id: int
    unit_id: int
    date: dt.date
    purpose: str
    findings: str
    follow_up: str


class CoverageRowOut(Schema):
    key: str
    label: str
    units: int
    served: int
    rate: Optional[float]


class CoverageOut(Schema):
    total: CoverageRowOut
    rows: list[CoverageRowOut]


class SuggestionOut(Schema):
    unit_id: int
    officer_id: int
    km: float
    load_before: int


class ProposalOut(Schema):
    unserved: int
    officers: int
    free_places: int
    suggestions: list[SuggestionOut]


class RequestFiguresOut(Schema):
    name: str
    requests: int
    closed: int
    on_time_rate: Optional[float]
    satisfaction: Optional[float]
    median_reply_days: Optional[float]
    median_close_days: Optional[float]


class DashboardOut(Schema):
    total: RequestFiguresOut
    overdue: int
    by_department: list[RequestFiguresOut]
    by_region: list[RequestFiguresOut]
    months: list[str]
    volume: dict[str, list[int]]


def _request(request, request_id) -> Request:
    return Request.objects.select_related("unit__region", "department", "officer").get_for_user(request_id,
                                                                                                request.auth)


def _detail(user, item: Request) -> Request:
    item.actions = states.available(item.state, actions.roles_on(user, item))
    return item


@router.get("/requests", response={200: list[RequestOut], **errors(422)}, summary="企业诉求")
@paginate(PageNumbers)
def list_requests(request: HttpRequest, filters: Query[RequestFilterParams]):
    qs = Request.objects.scoped(request.auth).select_related("unit").order_by("-submitted_at", "-id")
    return apply_filters(RequestFilter, filters, qs, request.auth)


@router.get("/requests/{int:request_id}", response={200: RequestDetail, **errors(404)}, summary="诉求详情")
def get_request(request: HttpRequest, request_id: Id):
    return _detail(request.auth, _request(request, request_id))


@router.post("/requests", response={201: RequestDetail, **errors(404, 422)}, summary="提交诉求")
def post_request(request: HttpRequest, payload: RequestIn):
    unit = Unit.objects.get_for_user(payload.unit, request.auth)
    item = actions.raise_request(request.auth, unit, payload.category, payload.title, payload.description)
    return Status(201, _detail(request.auth, _request(request, item.pk)))


@router.post("/requests/{int:request_id}/actions", response={200: RequestDetail, **errors(404, 422)},
             summary="办理诉求（受理、交办、答复、确认……）")
def post_action(request: HttpRequest, request_id: Id, payload: ActIn):
    item = _request(request, request_id)
    department = departments_for(request.auth).filter(pk=payload.department).first() if payload.department else None
    if payload.department and department is None:
        raise ValidationError({"department": _("承办部门不存在或已停用")})
    actions.act(request.auth, item, payload.action, payload.version, payload.note, department, payload.deadline)
    return _detail(request.auth, _request(request, request_id))


@router.post("/requests/{int:request_id}/rating", response={200: RequestDetail, **errors(404, 422)},
             summary="评价办理结果")
def post_rating(request: HttpRequest, request_id: Id, payload: RateIn):
    item = _request(request, request_id)
    actions.rate(request.auth, item, payload.rating, payload.comment)
    return _detail(request.auth, _request(request, request_id))


@router.get("/officers", response={200: list[OfficerOut], **errors()}, summary="服务人员")
@paginate(PageNumbers)
def list_officers(request: HttpRequest):
    return Officer.objects.scoped(request.auth).order_by("name", "pk")


@router.get("/assignments", response={200: list[AssignmentOut], **errors()}, summary="联系单位")
@paginate(PageNumbers)
def list_assignments(request: HttpRequest, active: bool = True):
    qs = actions.active_assignments() if active else Assignment.objects.all()
    return qs.filter(pk__in=Assignment.objects.scoped(request.auth).values("pk")).order_by("pk")


@router.post("/assignments", response={201: AssignmentOut, **errors(404, 422)}, summary="安排服务人员")
def post_assignment(request: HttpRequest, payload: AssignmentIn):
    officer = Officer.objects.get_for_user(payload.officer, request.auth)
    unit = Unit.objects.get_for_user(payload.unit, request.auth)
    return Status(201, actions.assign_officer(request.auth, officer, unit, payload.start))


@router.post("/visits", response={201: VisitOut, **errors(404, 422)}, summary="记录走访")
def post_visit(request: HttpRequest, payload: VisitIn):
    unit = Unit.objects.get_for_user(payload.unit, request.auth)
    return Status(201, actions.record_visit(request.auth, unit, payload.date, payload.purpose, payload.findings,
                                            payload.follow_up))


@router.get("/coverage", response={200: CoverageOut, **errors(422)}, summary="服务覆盖")
def get_coverage(request: HttpRequest, by: choice([(k, k) for k in queries.BY]) = "region"):
    total, rows = queries.service_coverage(request.auth, by)
    as_dict = lambda r: {"key": r.key, "label": r.label, "units": r.units, "served": r.served, "rate": r.rate}  # noqa: E731
    return {"total": as_dict(total), "rows": [as_dict(r) for r in rows]}


@router.get("/coverage/proposal", response={200: ProposalOut, **errors(422)}, summary="智能派员建议")
def get_proposal(request: HttpRequest, kind: choice(actions.OfficerKind, blank=True) = ""):
    p = queries.propose(request.auth, kind)
    return {"unserved": p.unserved, "officers": p.officers, "free_places": p.free_places,
            "suggestions": p.suggestions}


@router.get("/dashboard", response={200: DashboardOut, **errors()}, summary="诉求总览")
def get_dashboard(request: HttpRequest):
    d = queries.dashboard(request.auth)

    def fig(name, f):
        return {"name": name, "requests": f.requests, "closed": f.closed, "on_time_rate": f.on_time_rate,
                "satisfaction": f.satisfaction, "median_reply_days": f.median_reply_days,
                "median_close_days": f.median_close_days}

    return {"total": fig("", d.total), "overdue": d.overdue, "by_department": [fig(n, f) for n, f in d.by_department],
            "by_region": [fig(n, f) for n, f in d.by_region], "months": d.months, "volume": d.volume}
