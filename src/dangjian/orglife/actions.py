"""Writes of a meeting's life: plan → notice → reply/leave → sign-in → held → minutes, files, replay →
make-up study; votes. Each action validates everything first, writes inside one transaction, and audits.
Members act for themselves only (the member is the actor's own record); staff act within their write scope."""
import datetime as dt
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.own import own_member
from dangjian.core import audit
from dangjian.core.actions import apply_fields, ensure_in_scope, save_with_audit
from dangjian.core.notify import notify
from dangjian.core.rules import rule
from dangjian.core.uploads import PHOTO_TYPES, attach, check_upload
from dangjian.members.models import Category, Member, MemberStatus
from dangjian.orglife import signin
from dangjian.orglife.models import (
    Attendance, AttendeeRole, FileKind, HostedMember, Meeting, MeetingFile, MeetingKind, MeetingStatus, MinutesRevision, Presence,
    Reply, SignInMethod, Vote,
)
from dangjian.orglife.rules import count_vote
from dangjian.orglife.people import committee_ids, member_users

MEETING_FIELDS = {"kind", "title", "agenda", "starts_at", "place", "online"}
VIDEO_TYPES = {"mp4"}
SIGNIN_OPENS = dt.timedelta(hours=1)  # members may sign in from an hour before the start


def applies(meeting_kind: str, org_kind: str) -> bool:
    return org_kind in rule("orglife.applies").get(meeting_kind, [])


def _clean(meeting: Meeting) -> None:
    errors = {}
    meeting.title = (meeting.title or "").strip()
    if meeting.kind and not applies(meeting.kind, meeting.organization.kind):
        errors["kind"] = [_("“%(org)s”（%(org_kind)s）不召开%(kind)s") % {
            "org": meeting.organization.name, "org_kind": meeting.organization.get_kind_display(),
            "kind": meeting.get_kind_display()}]
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED) and meeting.pk:
        errors["__all__"] = [_("会议已召开或已取消，不能再修改")]
    if errors:
        raise ValidationError(errors)


def _staff(actor, meeting_or_org) -> None:
    org = getattr(meeting_or_org, "organization", meeting_or_org)
    ensure_in_scope(actor, org, "organization")


def _open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"__all__": _("会议已取消")})


@transaction.atomic
def plan_meeting(actor, organization, **data) -> Meeting:
    _staff(actor, organization)
    meeting = Meeting(organization=organization, created_by=actor, signin_secret=signin.new_secret())
    apply_fields(meeting, data, MEETING_FIELDS)
    _clean(meeting)
    return save_with_audit(actor, meeting)


@transaction.atomic
def update_meeting(actor, meeting: Meeting, **data) -> Meeting:
    _staff(actor, meeting)
    before = audit.snapshot(meeting)
    apply_fields(meeting, data, MEETING_FIELDS)
    _clean(meeting)
    return save_with_audit(actor, meeting, before)


@transaction.atomic
def cancel_meeting(actor, meeting: Meeting) -> Meeting:
    _staff(actor, meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError({"__all__": _("会议已召开，不能取消")})
    before = audit.snapshot(meeting)
    meeting.status = MeetingStatus.CANCELLED
    save_with_audit(actor, meeting, before)
    notify(member_users(meeting.attendances.values("member")), _("会议已取消：%(t)s") % {"t": meeting.title},
           meeting_link(meeting), key=f"meeting:{meeting.pk}:cancelled")
    return meeting


def meeting_link(meeting) -> str:
    from django.urls import reverse

    return reverse("orglife:meeting", args=[meeting.pk])


def recount(meeting: Meeting) -> None:
    """Keep the counters the compliance roll-ups read (member-role attendees only; guests do not count)."""
    c = Attendance.objects.filter(meeting=meeting, role=AttendeeRole.MEMBER).aggregate(
        expected=Count("pk"),
        present=Count("pk", filter=Q(presence=Presence.PRESENT)),
        leave=Count("pk", filter=Q(reply=Reply.LEAVE) & ~Q(presence__in=[Presence.PRESENT, Presence.MADE_UP])),
        made_up=Count("pk", filter=Q(presence=Presence.MADE_UP)),
    )
    Meeting.objects.filter(pk=meeting.pk).update(expected_count=c["expected"], present_count=c["present"],
                                                 leave_count=c["leave"], made_up_count=c["made_up"])
    meeting.expected_count, meeting.present_count = c["expected"], c["present"]
    meeting.leave_count, meeting.made_up_count = c["leave"], c["made_up"]


@transaction.atomic
def notify_attendees(actor, meeting: Meeting) -> int:
    """Invite the organisation's members (formal ones may vote; for a committee meeting, the committee) and
    the mobile members it hosts (guests, no vote), and tell them. Inviting again adds only newcomers.
    Returns the number invited."""
    _staff(actor, meeting)
    _open(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError({"__all__": _("会议已召开，不能再发通知")})
    if meeting.starts_at <= timezone.now():
        raise ValidationError({"__all__": _("会议开始时间已过，不能再发通知")})
    day = timezone.localtime(meeting.starts_at).date()
    own = Member.objects.filter(organization=meeting.organization, status=MemberStatus.NORMAL)
    if meeting.kind == MeetingKind.COMMITTEE:  # 支委会: the committee only (its quorum is half the committee)
        own = own.filter(pk__in=committee_ids(meeting.organization, day))
    hosted = HostedMember.objects.none() if meeting.kind == MeetingKind.COMMITTEE else HostedMember.objects.filter(organization=meeting.organization, since__lte=day).filter(
        Q(until__isnull=True) | Q(until__gte=day)).exclude(member__organization=meeting.organization)
    rows = [Attendance(meeting=meeting, member_id=pk, role=AttendeeRole.MEMBER, can_vote=cat == Category.FORMAL)
            for pk, cat in own.values_list("pk", "category")]
    rows += [Attendance(meeting=meeting, member_id=pk, role=AttendeeRole.GUEST, can_vote=False)
             for pk in hosted.filter(member__status=MemberStatus.NORMAL).values_list("member", flat=True)]
    known = set(meeting.attendances.values_list("member_id", flat=True))
    new = [a for a in rows if a.member_id not in known]
    Attendance.objects.bulk_create(new)
    before = audit.snapshot(meeting)
    meeting.status = MeetingStatus.NOTIFIED
    save_with_audit(actor, meeting, before)
    recount(meeting)
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    notify(member_users([a.member_id for a in new]),
           _("会议通知：%(t)s，%(when)s，%(place)s") % {"t": meeting.title, "when": when,
                                                    "place": meeting.place or _("线上")},
           meeting_link(meeting), key=f"meeting:{meeting.pk}:notice")
    return len(new)


def _my_attendance(actor, meeting: Meeting) -> Attendance:
    member = own_member(actor)
    attendance = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if attendance is None:
        raise ValidationError({"__all__": _("您不在本次会议的参会名单中")})
    return attendance


@transaction.atomic
def reply(actor, meeting: Meeting, answer: str, reason: str = "") -> Attendance:
    """A member signs up, or asks for leave with a reason, before the meeting starts."""
    _open(meeting)
    attendance = _my_attendance(actor, meeting)
    if meeting.status == MeetingStatus.HELD or meeting.starts_at <= timezone.now():
        raise ValidationError({"answer": _("会议已开始或已结束，不能再报名或请假")})
    if answer not in (Reply.SIGNED_UP, Reply.LEAVE):
        raise ValidationError({"answer": _("请选择报名或请假")})
    reason = (reason or "").strip()
    if answer == Reply.LEAVE and not reason:
        raise ValidationError({"reason": _("请假须写明事由")})
    before = audit.snapshot(attendance)
    attendance.reply, attendance.leave_reason = answer, reason if answer == Reply.LEAVE else ""
    save_with_audit(actor, attendance, before)
    recount(meeting)
    return attendance


def _credit_attendance(attendances, marked_by) -> None:
    """Attendance points, recording who marked the presence (the member on a QR sign-in, else the secretary)."""
    from dangjian.learning.public import award

    for a in attendances:
        award(a.member, "meeting_attended", f"meeting:{a.meeting_id}",
              day=timezone.localtime(a.meeting.starts_at).date(), recorded_by=marked_by)


@transaction.atomic
def sign_in(actor, meeting: Meeting, code: str, now: dt.datetime | None = None) -> Attendance:
    """A member scans the secretary's rotating QR code (or types its six digits)."""
    now = now or timezone.now()
    _open(meeting)
    attendance = _my_attendance(actor, meeting)
    if attendance.presence == Presence.PRESENT:
        when = timezone.localtime(attendance.signed_in_at).strftime("%H:%M") if attendance.signed_in_at else ""
        raise ValidationError({"code": _("您已签到（%(when)s），无需重复签到") % {"when": when}})
    if meeting.status == MeetingStatus.HELD or now < meeting.starts_at - SIGNIN_OPENS or \
            timezone.localtime(now).date() > timezone.localtime(meeting.starts_at).date():
        raise ValidationError({"code": _("不在签到时间内：会议开始前1小时至会议当天可以签到")})
    if not signin.is_valid(meeting, code, now.timestamp()):
        raise ValidationError({"code": _("签到码无效或已过期，请扫描屏幕上最新的二维码")})
    before = audit.snapshot(attendance)
    attendance.presence, attendance.signed_in_at, attendance.sign_in_method = Presence.PRESENT, now, SignInMethod.QR
    save_with_audit(actor, attendance, before)
    recount(meeting)
    attendance.meeting = meeting
    _credit_attendance([attendance], actor)
    return attendance


@transaction.atomic
def mark_presence(actor, meeting: Meeting, presence: dict[int, str]) -> int:
    """The secretary marks who was there ({member id: "present" | "absent"}) once the meeting has started."""
    _staff(actor, meeting)
    _open(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError({"__all__": _("会议尚未开始，不能登记出席情况")})
    bad = {v for v in presence.values() if v not in (Presence.PRESENT, Presence.ABSENT)}
    if bad:
        raise ValidationError({"presence": _("出席情况只能是“出席”或“缺席”")})
    rows = {a.member_id: a for a in Attendance.objects.select_for_update().filter(meeting=meeting,
                                                                                  member_id__in=list(presence))}
    missing = set(presence) - set(rows)
    if missing:
        raise ValidationError({"presence": _("%(n)d人不在本次会议的参会名单中") % {"n": len(missing)}})
    changed, newly_present = [], []
    for member_id, value in presence.items():
        a = rows[member_id]
        if a.presence == value or a.presence == Presence.MADE_UP:
            continue
        if value == Presence.PRESENT:
            a.sign_in_method = a.sign_in_method or SignInMethod.MARKED
            a.signed_in_at = a.signed_in_at or timezone.now()
            newly_present.append(a)
        a.presence = value
        changed.append(a)
    Attendance.objects.bulk_update(changed, ["presence", "sign_in_method", "signed_in_at"])
    audit.record(actor, audit.Action.UPDATE, meeting, {"presence": {str(a.member_id): a.presence for a in changed}})
    recount(meeting)
    for a in newly_present:
        a.meeting = meeting
    _credit_attendance(newly_present, actor)
    return len(changed)


@transaction.atomic
def mark_held(actor, meeting: Meeting, held_on: dt.date | None = None, decisions: str = "") -> Meeting:
    """Close the meeting: whoever has not signed in is absent (and may do make-up study)."""
    _staff(actor, meeting)
    _open(meeting)
    today = timezone.localdate()
    held_on = held_on or today
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError({"__all__": _("会议已标记为已召开")})
    if meeting.starts_at > timezone.now():
        raise ValidationError({"held_on": _("会议尚未开始（%(when)s），不能标记为已召开") % {
            "when": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")}})
    if held_on > today:
        raise ValidationError({"held_on": _("召开日期不能晚于今天")})
    if held_on < timezone.localtime(meeting.starts_at).date():
        raise ValidationError({"held_on": _("召开日期不能早于会议开始日期")})
    before = audit.snapshot(meeting)
    meeting.status, meeting.held_on = MeetingStatus.HELD, held_on
    if decisions:
        meeting.decisions = decisions.strip()
    save_with_audit(actor, meeting, before)
    Attendance.objects.filter(meeting=meeting, presence=Presence.UNKNOWN).update(presence=Presence.ABSENT)
    recount(meeting)
    return meeting


@transaction.atomic
def add_minutes(actor, meeting: Meeting, text: str) -> MinutesRevision:
    """Minutes are never overwritten: each save is a new revision with who and when."""
    _staff(actor, meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("会议记录不能为空")})
    revision = MinutesRevision.objects.create(meeting=meeting, text=text, author=actor)
    audit.record(actor, audit.Action.CREATE, revision, {"meeting": meeting.pk, "length": len(text)})
    return revision


@transaction.atomic
def add_file(actor, meeting: Meeting, kind: str, upload) -> MeetingFile:
    _staff(actor, meeting)
    if kind not in FileKind.values:
        raise ValidationError({"kind": _("请选择照片或附件")})
    check_upload(upload, "file", PHOTO_TYPES if kind == FileKind.PHOTO else None)
    f = MeetingFile(meeting=meeting, kind=kind, name=os.path.basename(upload.name)[:200], size=upload.size,
                    uploaded_by=actor)
    f.file.save(f.name, upload, save=False)
    f.save()
    audit.record(actor, audit.Action.CREATE, f, {"meeting": meeting.pk, "name": f.name, "size": f.size})
    return f


@transaction.atomic
def set_replay(actor, meeting: Meeting, url: str = "", upload=None) -> Meeting:
    """A replay (link or uploaded video) makes make-up study possible and appears in the learning library."""
    _staff(actor, meeting)
    url = (url or "").strip()
    if not url and upload is None:
        raise ValidationError({"replay_url": _("请填写回放链接或上传回放视频")})
    before = audit.snapshot(meeting)
    if url:
        meeting.replay_url = url
    if upload is not None:
        attach(meeting, "replay_file", upload, VIDEO_TYPES)
    save_with_audit(actor, meeting, before)
    from dangjian.learning.public import publish_replay

    publish_replay(actor, meeting)
    return meeting


def can_make_up(meeting: Meeting, has_minutes: bool) -> bool:
    return meeting.status == MeetingStatus.HELD and bool(meeting.replay_url or meeting.replay_file or has_minutes)


@transaction.atomic
def make_up(actor, meeting: Meeting, note: str) -> Attendance:
    """补学: an absent member watches the replay or reads the minutes and confirms with a short note.
    It counts as "made up", apart from "present"."""
    attendance = _my_attendance(actor, meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError({"__all__": _("会议尚未召开，不需要补学")})
    if attendance.presence == Presence.PRESENT:
        raise ValidationError({"__all__": _("您已出席本次会议，不需要补学")})
    if attendance.presence == Presence.MADE_UP:
        raise ValidationError({"__all__": _("您已完成本次会议的补学")})
    if not can_make_up(meeting, meeting.minutes.exists()):
        raise ValidationError({"__all__": _("本次会议还没有回放或会议记录，暂不能补学")})
    note = (note or "").strip()
    if len(note) < 10:
        raise ValidationError({"note": _("请写下不少于10个字的学习心得")})
    before = audit.snapshot(attendance)
    attendance.presence, attendance.made_up_at, attendance.made_up_note = Presence.MADE_UP, timezone.now(), note[:500]
    save_with_audit(actor, attendance, before)
    recount(meeting)
    from dangjian.learning.public import award

    award(attendance.member, "makeup_done", f"makeup:{meeting.pk}")
    return attendance


def _subject(text: str) -> str:
    """A subject as compared and stored: trimmed, runs of white space made one space."""
    return " ".join((text or "").split())


@transaction.atomic
def record_vote(actor, meeting: Meeting, subject: str, yes: int, no: int, abstain: int, written_yes: int = 0,
                written_no: int = 0, reason: str = "") -> Vote:
    """Count a vote per domain-rules §2 from the meeting's own attendance (who may vote, who came). A second vote
    on a subject already voted on in this meeting is a re-vote (复议/重新表决): it needs a reason and replaces
    the latest vote on that subject, which is kept as history."""
    _staff(actor, meeting)
    _open(meeting)
    subject = _subject(subject)
    reason = (reason or "").strip()
    if not subject:
        raise ValidationError({"subject": _("请填写表决事项")})
    if len(subject) > Vote._meta.get_field("subject").max_length:
        raise ValidationError({"subject": _("表决事项不能超过%(n)d字") % {"n": Vote._meta.get_field("subject").max_length}})
    if meeting.starts_at > timezone.now():
        raise ValidationError({"__all__": _("会议尚未开始，不能登记表决")})
    # One vote at a time per meeting, so two clerks cannot both record a "first" vote on one subject.
    list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk"))
    previous = Vote.objects.filter(meeting=meeting, subject=subject, replaced_by__isnull=True).first()
    if previous is not None and not reason:
        raise ValidationError({"reason": _("“%(s)s”本次会议已表决（%(r)s，%(when)s）；再次表决是重新表决，须写明事由") % {
            "s": subject, "r": _("通过") if previous.passed else _("未通过"),
            "when": timezone.localtime(previous.at).strftime("%H:%M")}})
    if len(reason) > Vote._meta.get_field("revote_reason").max_length:
        raise ValidationError({"reason": _("重新表决事由不能超过%(n)d字") % {
            "n": Vote._meta.get_field("revote_reason").max_length}})
    numbers = {"yes": yes, "no": no, "abstain": abstain, "written_yes": written_yes, "written_no": written_no}
    negative = [k for k, v in numbers.items() if v is None or v < 0]
    if negative:
        raise ValidationError({k: _("请填写不小于0的整数") for k in negative})
    voters = Attendance.objects.filter(meeting=meeting, can_vote=True).aggregate(
        entitled=Count("pk"), attending=Count("pk", filter=Q(presence=Presence.PRESENT)))
    entitled, attending = voters["entitled"], voters["attending"]
    result = count_vote(entitled, attending, yes, written_yes)
    if not result.quorum:
        raise ValidationError({"__all__": _("到会有表决权的党员%(a)d人，未超过应到%(e)d人的半数，不能表决") % {
            "a": attending, "e": entitled}})
    if yes + no + abstain > attending:
        raise ValidationError({"yes": _("赞成、反对、弃权合计%(n)d票，超过到会有表决权的%(a)d人") % {
            "n": yes + no + abstain, "a": attending}})
    if written_yes + written_no > entitled - attending:
        raise ValidationError({"written_yes": _("书面意见%(n)d份，超过未到会有表决权的%(a)d人") % {
            "n": written_yes + written_no, "a": entitled - attending}})
    vote = Vote(meeting=meeting, subject=subject, entitled=entitled, attending=attending, passed=result.passed,
                replaces=previous, revote_reason=reason if previous else "", recorded_by=actor, **numbers)
    return save_with_audit(actor, vote)
