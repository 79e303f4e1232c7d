"""e家 learning under /api/v1/learning: the library, pushes, today's study, study records, quizzes, points
and rankings. Members act for themselves; the library is shared, pushes are scoped to the staff's tree."""
import datetime as dt
from typing import Optional

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.core.schemas import PageNumbers, Ref, RefResolver, apply_filters, choice, errors, filter_params
from dangjian.core.schemas import Id
from dangjian.learning import actions, queries
from dangjian.learning.filters import ContentFilter
from dangjian.learning.models import AudienceGroup, Content, ContentKind, Push
from dangjian.members.models import Member
from dangjian.organizations.models import Organization
from dangjian.accounts.own import member_of
from dangjian.regions.models import Region

router = Router(tags=["learning"])
ContentFilterParams = filter_params(ContentFilter, "ContentFilterParams")


class ContentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    summary: str
    minutes: int
    url: str
    published: bool

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()


class QuestionOut(Schema):
    id: int
    text: str
    options: list[str]


class ContentDetail(ContentOut):
    body: str
    questions: list[QuestionOut] = Field(description="the quiz, without the answers")
    seconds_needed: int = Field(description="study time needed before it can be completed")

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())

    @staticmethod
    def resolve_seconds_needed(obj):
        return actions.seconds_needed(obj)


class ContentIn(Schema):
    kind: choice(ContentKind)
    title: str
    summary: str = ""
    body: str = ""
    url: str = ""
    minutes: int = Field(0, ge=0)
    published: bool = True


class PushIn(Schema):
    date: dt.date
    organizations: list[Id] = []
    regions: list[Id] = []
    group: choice(AudienceGroup) = ""
    note: str = ""


class PushOut(Schema):
    id: int
    date: dt.date
    content: ContentOut
    group: str
    note: str
    organizations: list[Ref]
    regions: list[Ref]

    @staticmethod
    def resolve_organizations(obj):
        return list(obj.organizations.all())

    @staticmethod
    def resolve_regions(obj):
        return list(obj.regions.all())


class RecordOut(Schema):
    content_id: int
    seconds: int
    completed_at: Optional[dt.datetime]
    quiz_score: Optional[int]


class StudyItem(Schema):
    date: dt.date
    note: str
    content: ContentOut
    record: Optional[RecordOut]


class TodayOut(Schema):
    day: dt.date
    today: list[StudyItem]
    earlier: list[StudyItem] = Field(description="pushed earlier in the catch-up window, not yet completed")


class SecondsIn(Schema):
    seconds: int = Field(0, ge=0, description="ignored (kept for older pages): the server counts the time since the "
                                              "last beat, at most the rule set's heartbeat_max_seconds")


class AnswersIn(Schema):
    answers: dict[Id, int] = Field(description="question id → index of the chosen option")


class QuizOut(Schema):
    score: int = Field(description="the score only: which answers were right is not told")
    passed: bool
    attempts_left: Optional[int] = Field(description="tries left today for this content; null = no limit")


class PointOut(Schema):
    event: str
    points: int
    day: dt.date
    reason: str
    recorded_by: Optional[str] = Field(description="who recorded it: the awarding staff member, or who marked the "
                                                   "presence for attendance points; null when paid by the system")

    @staticmethod
    def resolve_recorded_by(obj):
        user = obj.recorded_by
        return (user.get_full_name() or user.get_username()) if user is not None else None


class AwardIn(Schema):
    points: int = Field(description="non-zero; negative deducts")
    reason: str = Field(description="required by the rule set")


class LedgerOut(Schema):
    total: int
    entries: list[PointOut]


class RankingsOut(Schema):
    period: str
    members: list[dict]
    organizations: list[dict]
    regions: list[dict]


def _member(request):
    member = member_of(request.auth)
    if member is None:
        raise Http404
    return queries.member_with_place(member.pk)


def _content(request, content_id):
    try:
        return queries.library(request.auth).get(pk=content_id)
    except Content.DoesNotExist:
        raise Http404 from None


def _item(p) -> dict:
    return {"date": p.date, "note": p.note, "content": p.content, "record": p.record}


@router.get("/contents", response={200: list[ContentOut], **errors(422)}, summary="学习内容库")
@paginate(PageNumbers)
def list_contents(request: HttpRequest, filters: Query[ContentFilterParams]):
    return apply_filters(ContentFilter, filters, queries.library(request.auth), request.auth)


@router.get("/contents/{int:content_id}", response={200: ContentDetail, **errors(404)}, summary="学习内容")
def get_content(request: HttpRequest, content_id: Id):
    return _content(request, content_id)


@router.post("/contents", response={201: ContentDetail, **errors(422)}, summary="新增学习内容")
def post_content(request: HttpRequest, payload: ContentIn):
    return Status(201, actions.create_content(request.auth, **payload.dict()))


@router.get("/pushes", response={200: list[PushOut], **errors()}, summary="推送计划")
@paginate(PageNumbers)
def list_pushes(request: HttpRequest):
    """Pushes aimed at organisations or regions in your scope."""
    ids = Push.objects.scoped(request.auth).values("pk")
    return Push.objects.filter(pk__in=ids).select_related("content").order_by("-date", "-id")


@router.post("/contents/{int:content_id}/pushes", response={201: PushOut, **errors(404, 422)}, summary="推送为今日学习")
def post_push(request: HttpRequest, content_id: Id, payload: PushIn):
    content = _content(request, content_id)
    refs = RefResolver(request.auth)
    orgs = refs.many(payload.organizations, "organizations", Organization)
    regions = refs.many(payload.regions, "regions", Region)
    refs.check()
    push = actions.push_content(request.auth, content, payload.date, orgs, regions, payload.group, payload.note)
    return Status(201, push)


@router.get("/today", response={200: TodayOut, **errors(404)}, summary="今日学习")
def get_today(request: HttpRequest):
    study = queries.todays_study(_member(request))
    return {"day": study["day"], "today": [_item(p) for p in study["today"]],
            "earlier": [_item(p) for p in study["earlier"]]}


@router.post("/contents/{int:content_id}/heartbeat", response={200: RecordOut, **errors(404, 422)}, summary="学习计时")
def post_heartbeat(request: HttpRequest, content_id: Id, payload: SecondsIn):
    """Beat while the study page is visible; the server adds the time since the last beat (capped), nothing for a
    beat sooner than ``heartbeat_min_seconds``, and nothing for the first beat (it starts the clock)."""
    return actions.heartbeat(_member(request), _content(request, content_id))


@router.post("/contents/{int:content_id}/complete", response={200: RecordOut, **errors(404, 422)}, summary="完成学习")
def post_complete(request: HttpRequest, content_id: Id):
    return actions.complete(_member(request), _content(request, content_id))


@router.post("/contents/{int:content_id}/quiz", response={200: QuizOut, **errors(404, 422)}, summary="提交测试")
def post_quiz(request: HttpRequest, content_id: Id, payload: AnswersIn):
    """At most the rule set's ``quiz_max_attempts_per_day`` tries per content a day (422 beyond)."""
    result = actions.submit_quiz(_member(request), _content(request, content_id), payload.answers)
    return {"score": result.score, "passed": result.passed, "attempts_left": result.attempts_left}


@router.get("/points", response={200: LedgerOut, **errors(404)}, summary="我的积分")
def get_points(request: HttpRequest):
    entries, total = queries.ledger(_member(request))
    return {"total": total, "entries": list(entries[:200])}


@router.get("/members/{int:member_id}/points", response={200: LedgerOut, **errors(404)}, summary="党员积分")
def get_member_points(request: HttpRequest, member_id: Id):
    entries, total = queries.ledger(Member.objects.get_for_user(member_id, request.auth))
    return {"total": total, "entries": list(entries[:200])}


@router.post("/members/{int:member_id}/points", response={201: PointOut, **errors(404, 422)}, summary="人工奖励积分")
def post_member_points(request: HttpRequest, member_id: Id, payload: AwardIn):
    """Per member at most the rule set's daily and yearly manual points; a reason; never to yourself."""
    member = Member.objects.get_for_user(member_id, request.auth, for_write=True)
    return Status(201, actions.manual_award(request.auth, member, payload.points, payload.reason))


@router.get("/rankings", response={200: RankingsOut, **errors()}, summary="积分排行")
def get_rankings(request: HttpRequest, period: str = "month"):
    """Members, organisations and child regions of your scope by points (``period``: month, year or all)."""
    period = period if period in queries.RANK_PERIODS else "month"
    return {"period": period, "members": queries.member_ranking(request.auth, period),
            "organizations": queries.organization_ranking(request.auth, period),
            "regions": queries.region_ranking(request.auth, period)}
