"""Meetings under /api/v1/orglife/meetings: plan, notice, reply, sign-in, presence, held, minutes, votes,
make-up. Staff operations need write scope on the meeting's organisation (else 404); members act for
themselves on meetings they are invited to."""
import datetime as dt
from typing import Optional

from django.http import HttpRequest
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.core.schemas import PageNumbers, Ref, RefResolver, apply_filters, choice, errors, filter_params, patch_data
from dangjian.core.schemas import Id
from dangjian.organizations.models import Organization
from dangjian.orglife import actions, queries, signin
from dangjian.orglife.filters import MeetingFilter
from dangjian.orglife.models import Attendance, MeetingKind, Presence, Reply
from dangjian.accounts.own import member_of

router = Router(tags=["orglife"])
MeetingFilterParams = filter_params(MeetingFilter, "MeetingFilterParams")


class MeetingOut(Schema):
    id: int
    organization: Ref
    kind: str
    kind_label: str
    title: str
    starts_at: dt.datetime
    place: str
    online: bool
    status: str
    status_label: str
    held_on: Optional[dt.date]
    expected_count: int = Field(description="members of the organisation invited (guests not counted)")
    present_count: int
    leave_count: int
    made_up_count: int = Field(description="absent members who did the make-up study")

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class AttendanceOut(Schema):
    member: Ref
    role: str
    can_vote: bool
    reply: str
    leave_reason: str
    presence: str
    presence_label: str
    signed_in_at: Optional[dt.datetime]
    sign_in_method: str
    made_up_at: Optional[dt.datetime]

    @staticmethod
    def resolve_presence_label(obj):
        return obj.get_presence_display()


class MeetingDetail(MeetingOut):
    agenda: str
    decisions: str
    replay_url: str
    minutes: str = Field(description="the latest revision of the minutes")
    mine: Optional[AttendanceOut] = Field(description="your own invitation, if you are invited")

    @staticmethod
    def resolve_minutes(obj):
        return obj.minutes_text

    @staticmethod
    def resolve_mine(obj):
        return obj.mine_row


class MeetingWrite(Schema):
    kind: choice(MeetingKind)
    title: str
    starts_at: dt.datetime
    place: str = ""
    online: bool = False
    agenda: str = ""


class MeetingCreate(MeetingWrite):
    organization: Id = Field(description="organisation id (within your write scope)")


class HeldIn(Schema):
    held_on: Optional[dt.date] = Field(None, description="defaults to today; never later than today")
    decisions: str = ""


class PresenceIn(Schema):
    presence: dict[Id, choice([(Presence.PRESENT, ""), (Presence.ABSENT, "")])] = Field(
        description="member id → present | absent")


class TextIn(Schema):
    text: str


class ReplyIn(Schema):
    answer: choice([(Reply.SIGNED_UP, ""), (Reply.LEAVE, "")])
    reason: str = ""


class CodeIn(Schema):
    code: str = Field(description="the six digits shown under the QR code")


class CodeOut(Schema):
    code: str
    seconds_left: int


class NoteIn(Schema):
    note: str = Field(description="what the member learnt (at least 10 characters)")


class VoteIn(Schema):
    subject: str
    yes: int = Field(ge=0)
    no: int = Field(0, ge=0)
    abstain: int = Field(0, ge=0)
    written_yes: int = Field(0, ge=0, description="written yes of entitled members who did not attend")
    written_no: int = Field(0, ge=0)
    reason: str = Field("", description="required when the subject was already voted on in this meeting: the "
                                        "new vote is a re-vote (复议/重新表决) and replaces the earlier one")


class VoteOut(Schema):
    id: int
    subject: str
    entitled: int
    attending: int
    yes: int
    no: int
    abstain: int
    written_yes: int
    written_no: int
    passed: bool
    replaces: Optional[int] = Field(description="the vote this re-vote replaces, if it is one")
    revote_reason: str
    replaced_by: Optional[int] = Field(description="the re-vote that replaced this vote (only in the history)")

    @staticmethod
    def resolve_replaces(obj):
        return obj.replaces_id

    @staticmethod
    def resolve_replaced_by(obj):
        return getattr(obj, "replaced_by_id", None)


class CountOut(Schema):
    count: int


def _detail(request, meeting):
    minutes = queries.latest_minutes(meeting)
    meeting.minutes_text = minutes[0].text if minutes else ""
    meeting.mine_row = queries.my_attendance(meeting, member_of(request.auth))
    return meeting


def _staff(request, meeting_id):
    return queries.meetings(request.auth, for_write=True).get_for_user(meeting_id, request.auth, for_write=True)


def _seen(request, meeting_id):
    return queries.meetings(request.auth).get_for_user(meeting_id, request.auth)


@router.get("", response={200: list[MeetingOut], **errors(422)}, summary="会议列表")
@paginate(PageNumbers)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilterParams]):
    """Meetings of the organisations in your scope (a member: their own organisation's and those they are
    invited to), newest first."""
    return apply_filters(MeetingFilter, filters, queries.meetings(request.auth).order_by("-starts_at", "-id"), request.auth)


@router.get("/mine", response={200: list[AttendanceOut], **errors()}, summary="我的参会记录")
@paginate(PageNumbers)
def list_my_attendance(request: HttpRequest):
    member = member_of(request.auth)
    rows = Attendance.objects.filter(member=member) if member else Attendance.objects.none()
    return rows.select_related("member").order_by("-meeting__starts_at")


@router.get("/{int:meeting_id}", response={200: MeetingDetail, **errors(404)}, summary="会议详情")
def get_meeting(request: HttpRequest, meeting_id: Id):
    return _detail(request, _seen(request, meeting_id))


@router.post("", response={201: MeetingDetail, **errors(422)}, summary="安排会议")
def post_meeting(request: HttpRequest, payload: MeetingCreate):
    data = payload.dict()
    refs = RefResolver(request.auth)
    refs.one(data, "organization", Organization)
    refs.check()
    meeting = actions.plan_meeting(request.auth, data.pop("organization"), **data)
    return Status(201, _detail(request, queries.meetings(request.auth).get(pk=meeting.pk)))


@router.patch("/{int:meeting_id}", response={200: MeetingDetail, **errors(404, 422)}, summary="修改会议")
def patch_meeting(request: HttpRequest, meeting_id: Id, payload: PatchDict[MeetingWrite]):
    meeting = _staff(request, meeting_id)
    actions.update_meeting(request.auth, meeting, **patch_data(payload, MeetingWrite))
    return _detail(request, meeting)


@router.post("/{int:meeting_id}/notify", response={200: CountOut, **errors(404, 422)}, summary="发出会议通知")
def post_notify(request: HttpRequest, meeting_id: Id):
    """Invite the members (and hosted mobile members as guests) and notify them; returns how many were new."""
    return {"count": actions.notify_attendees(request.auth, _staff(request, meeting_id))}


@router.post("/{int:meeting_id}/cancel", response={200: MeetingDetail, **errors(404, 422)}, summary="取消会议")
def post_cancel(request: HttpRequest, meeting_id: Id):
    return _detail(request, actions.cancel_meeting(request.auth, _staff(request, meeting_id)))


@router.get("/{int:meeting_id}/attendances", response={200: list[AttendanceOut], **errors(404)}, summary="参会人员")
def list_attendances(request: HttpRequest, meeting_id: Id):
    return queries.attendance_rows(_staff(request, meeting_id))


@router.get("/{int:meeting_id}/signin-code", response={200: CodeOut, **errors(404)}, summary="当前签到码")
def get_signin_code(request: HttpRequest, meeting_id: Id):
    """The code the secretary's screen shows now (it changes every rule ``orglife.signin_code_seconds``)."""
    code, left = signin.current_code(_staff(request, meeting_id))
    return {"code": code, "seconds_left": left}


@router.post("/{int:meeting_id}/signin", response={200: AttendanceOut, **errors(404, 422)}, summary="扫码签到")
def post_signin(request: HttpRequest, meeting_id: Id, payload: CodeIn):
    return actions.sign_in(request.auth, _seen(request, meeting_id), payload.code)


@router.post("/{int:meeting_id}/reply", response={200: AttendanceOut, **errors(404, 422)}, summary="报名或请假")
def post_reply(request: HttpRequest, meeting_id: Id, payload: ReplyIn):
    return actions.reply(request.auth, _seen(request, meeting_id), payload.answer, payload.reason)


@router.post("/{int:meeting_id}/presence", response={200: CountOut, **errors(404, 422)}, summary="登记出席情况")
def post_presence(request: HttpRequest, meeting_id: Id, payload: PresenceIn):
    return {"count": actions.mark_presence(request.auth, _staff(request, meeting_id), payload.presence)}


@router.post("/{int:meeting_id}/held", response={200: MeetingDetail, **errors(404, 422)}, summary="标记为已召开")
def post_held(request: HttpRequest, meeting_id: Id, payload: HeldIn):
    meeting = actions.mark_held(request.auth, _staff(request, meeting_id), payload.held_on, payload.decisions)
    return _detail(request, meeting)


@router.post("/{int:meeting_id}/minutes", response={201: CountOut, **errors(404, 422)}, summary="保存会议记录（新修订）")
def post_minutes(request: HttpRequest, meeting_id: Id, payload: TextIn):
    meeting = _staff(request, meeting_id)
    actions.add_minutes(request.auth, meeting, payload.text)
    return Status(201, {"count": meeting.minutes.count()})


@router.post("/{int:meeting_id}/makeup", response={200: AttendanceOut, **errors(404, 422)}, summary="完成补学")
def post_makeup(request: HttpRequest, meeting_id: Id, payload: NoteIn):
    return actions.make_up(request.auth, _seen(request, meeting_id), payload.note)


@router.get("/{int:meeting_id}/votes", response={200: list[VoteOut], **errors(404)}, summary="表决结果")
def list_votes(request: HttpRequest, meeting_id: Id, history: bool = False):
    """The standing vote per subject (a re-vote replaces the vote before it); ``history=true`` lists every
    vote taken, the replaced ones with ``replaced_by``."""
    rows = list(queries.votes([_seen(request, meeting_id)], history=history))
    successor = {v.replaces_id: v.pk for v in rows if v.replaces_id}
    for v in rows:
        v.replaced_by_id = successor.get(v.pk)
    return rows


@router.post("/{int:meeting_id}/votes", response={201: VoteOut, **errors(404, 422)}, summary="登记表决结果")
def post_vote(request: HttpRequest, meeting_id: Id, payload: VoteIn):
    """Quorum and count per domain-rules §2, from the meeting's attendance (who may vote, who came)."""
    return Status(201, actions.record_vote(request.auth, _staff(request, meeting_id), **payload.dict()))
