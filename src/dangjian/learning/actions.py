"""Writes of e家 learning: the library (contents, questions), push plans, a member's study (open, heartbeat,
complete, quiz) and manual points. Members act for themselves only; staff within their write scope. A content
belongs to the region or organisation that published it: only staff whose write scope covers that owner change
or delete it, and its questions. Study time is the server's clock between heartbeats, never the client's claim."""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.actions import apply_fields, ensure_in_scope, save_with_audit
from dangjian.core.rules import rule
from dangjian.core.scoping import get_scope
from dangjian.core.uploads import attach
from dangjian.learning.models import (AudienceGroup, Content, ContentKind, LearningRecord, PointEvent, Push, Question,
                                      QuizAttempt)
from dangjian.learning.points import award, award_manual

CONTENT_FIELDS = {"kind", "title", "summary", "body", "url", "minutes", "series", "published"}
DOCUMENT_TYPES = {"pdf", "doc", "docx", "xls", "xlsx"}
VIDEO_TYPES = {"mp4"}


def ensure_staff(actor) -> None:
    """The library and pushes are written by district, region and organisation staff."""
    scope = get_scope(actor, for_write=True)
    if actor is not None and scope.empty:
        raise ValidationError({"__all__": _("只有管理员和党组织书记可以维护学习内容")})


def owner_for(actor) -> dict:
    """The owner of a content ``actor`` publishes: their outermost region grant, else their outermost organisation
    grant; superusers and the system (no actor) publish for the top region."""
    from dangjian.organizations.models import Organization
    from dangjian.regions.models import Region

    scope = get_scope(actor, for_write=True)
    if scope.region_paths:
        return {"region": Region.objects.filter(path__in=scope.region_paths).order_by("path").first()}
    if scope.org_paths:
        return {"organization": Organization.objects.filter(path__in=scope.org_paths).order_by("path").first()}
    return {"region": Region.objects.filter(depth=1).order_by("path").first()}


def ensure_editor(actor, content: Content) -> None:
    """Only staff whose write scope covers the content's owner change it (None actor = system/CLI)."""
    ensure_in_scope(actor, content, "content")


def _clean_content(content: Content, upload) -> None:
    errors = {}
    content.title = (content.title or "").strip()
    if not content.title:
        errors["title"] = [_("请填写标题")]
    if content.kind == ContentKind.ARTICLE and not (content.body or "").strip():
        errors["body"] = [_("文章须有正文")]
    if content.kind in (ContentKind.VIDEO, ContentKind.MICRO_LECTURE, ContentKind.REPLAY) and not (
            content.url or content.file or upload):
        errors["url"] = [_("视频须填写视频链接或上传视频文件")]
    if content.kind == ContentKind.DOCUMENT and not (content.file or upload):
        errors["file"] = [_("文档须上传文件")]
    if content.kind == ContentKind.MICRO_LECTURE and not content.minutes:
        content.minutes = int(rule("learning.micro_lecture_minutes"))
    if content.minutes and content.minutes > 600:
        errors["minutes"] = [_("时长不能超过600分钟")]
    if errors:
        raise ValidationError(errors)


def _attach(content: Content, upload) -> None:
    if upload is None:
        return
    attach(content, "file", upload, DOCUMENT_TYPES if content.kind == ContentKind.DOCUMENT else VIDEO_TYPES)


@transaction.atomic
def create_content(actor, tags=(), upload=None, **data) -> Content:
    ensure_staff(actor)
    content = Content(created_by=actor, **owner_for(actor))
    apply_fields(content, data, CONTENT_FIELDS)
    _clean_content(content, upload)
    _attach(content, upload)
    save_with_audit(actor, content)
    content.tags.set(tags)
    return content


@transaction.atomic
def update_content(actor, content: Content, tags=None, upload=None, **data) -> Content:
    ensure_editor(actor, content)
    before = audit.snapshot(content)
    apply_fields(content, data, CONTENT_FIELDS)
    _clean_content(content, upload)
    _attach(content, upload)
    save_with_audit(actor, content, before)
    if tags is not None:
        content.tags.set(tags)
    return content


@transaction.atomic
def add_question(actor, content: Content, text: str, options: list[str], answer: int) -> Question:
    ensure_editor(actor, content)
    text = (text or "").strip()
    options = [o.strip() for o in options or [] if o and o.strip()]
    errors = {}
    if not text:
        errors["text"] = [_("请填写题目")]
    if len(options) < 2:
        errors["options"] = [_("至少需要两个选项")]
    elif answer is None or not 0 <= answer < len(options):
        errors["answer"] = [_("正确选项须是第1到第%(n)d项之一") % {"n": len(options)}]
    if errors:
        raise ValidationError(errors)
    question = Question(content=content, text=text, options=options, answer=answer, order=content.questions.count())
    return save_with_audit(actor, question)


@transaction.atomic
def delete_content(actor, content: Content) -> None:
    """Delete a content nobody has studied or been pushed yet; one with history is unpublished instead, so
    members' records and the points they earned keep their source."""
    ensure_editor(actor, content)
    if content.records.exists() or content.pushes.exists():
        raise ValidationError({"__all__": _("“%(c)s”已推送或已有党员学习，不能删除；可以改为不发布") % {"c": content}})
    audit.record(actor, audit.Action.DELETE, content, audit.snapshot(content))
    content.delete()


@transaction.atomic
def push_content(actor, content: Content, date: dt.date, organizations=(), regions=(), group: str = "",
                 note: str = "") -> Push:
    """Push a content as the study of ``date`` to organisations (with their subtrees) and/or regions, optionally
    only to a group; every target must be in the actor's write scope."""
    ensure_staff(actor)
    errors = {}
    if not organizations and not regions:
        errors["organizations"] = [_("请至少选择一个党组织或区域")]
    if group not in AudienceGroup.values:
        errors["group"] = [_("未知的推送对象")]
    if date is None or date < timezone.localdate():
        errors["date"] = [_("推送日期不能早于今天")]
    if not content.published:
        errors["content"] = [_("内容尚未发布，不能推送")]
    if errors:
        raise ValidationError(errors)
    for org in organizations:
        ensure_in_scope(actor, org, "organizations")
    for region in regions:
        ensure_in_scope(actor, region, "regions")
    push = save_with_audit(actor, Push(content=content, date=date, group=group, note=(note or "").strip(),
                                       created_by=actor))
    push.organizations.set(organizations)
    push.regions.set(regions)
    return push


def open_record(member, content: Content, start_clock: bool = False) -> LearningRecord:
    """The member's record of a content, created on first opening. ``start_clock`` (the study page opening)
    starts the study clock unless it is already running, so the page's first heartbeat counts."""
    record, _created = LearningRecord.objects.get_or_create(member=member, content=content)
    if start_clock:
        now = timezone.now()
        stale = now - dt.timedelta(seconds=int(rule("learning.heartbeat_max_seconds")))
        if LearningRecord.objects.filter(pk=record.pk, completed_at__isnull=True).filter(
                Q(last_beat_at__isnull=True) | Q(last_beat_at__lt=stale)).update(last_beat_at=now):
            record.last_beat_at = now
    return record


@transaction.atomic
def heartbeat(member, content: Content) -> LearningRecord:
    """Count study time on the server: a beat adds the time since the last counted beat, at most rule
    ``heartbeat_max_seconds``. A beat sooner than ``heartbeat_min_seconds`` adds nothing and leaves the clock
    where it was, so a burst of beats counts once; a beat with no clock running starts it and adds nothing.
    Whatever the page claims, the total never grows faster than the wall clock."""
    now = timezone.now()
    record = LearningRecord.objects.select_for_update().get(pk=open_record(member, content).pk)
    if record.last_beat_at is not None:
        gap = (now - record.last_beat_at).total_seconds()
        if gap < int(rule("learning.heartbeat_min_seconds")):
            return record
        record.seconds += int(min(gap, int(rule("learning.heartbeat_max_seconds"))))
    record.last_beat_at = now
    record.save(update_fields=["seconds", "last_beat_at"])
    return record


def seconds_needed(content: Content) -> int:
    return int(content.minutes * 60 * float(rule("learning.complete_share")))


@transaction.atomic
def complete(member, content: Content) -> LearningRecord:
    record = LearningRecord.objects.select_for_update().get(pk=open_record(member, content).pk)
    if record.completed_at:
        return record
    needed = seconds_needed(content)
    if record.seconds < needed:
        raise ValidationError({"__all__": _("学习时间不足：还需学习约%(m)d分钟后才能完成") % {
            "m": max(1, (needed - record.seconds + 59) // 60)}})
    record.completed_at = timezone.now()
    record.save(update_fields=["completed_at"])
    award(member, PointEvent.STUDY_COMPLETED, f"content:{content.pk}")
    return record


@dataclass(frozen=True)
class QuizResult:
    """What a member learns from a try: the score, not which answers were right."""
    score: int
    passed: bool
    attempts_left: int | None  # tries left today; None when the rule set sets no limit


def attempts_today(member, content: Content, day: dt.date | None = None) -> int:
    return QuizAttempt.objects.filter(member=member, content=content, day=day or timezone.localdate()).count()


def attempts_left(member, content: Content, day: dt.date | None = None) -> int | None:
    limit = int(rule("learning.quiz_max_attempts_per_day"))
    return max(0, limit - attempts_today(member, content, day)) if limit > 0 else None


@transaction.atomic
def submit_quiz(member, content: Content, answers: dict[int, int]) -> QuizResult:
    """Score = share of questions answered right (0–100); the best score is kept; passing pays points once.
    Each valid submission is an attempt; beyond rule ``quiz_max_attempts_per_day`` (per content) a try is refused,
    so scores can't be used to probe the answers one question at a time. Incomplete answers use no attempt."""
    questions = list(content.questions.all())
    if not questions:
        raise ValidationError({"__all__": _("本内容没有测试题")})
    missing = [i + 1 for i, q in enumerate(questions) if q.pk not in answers]
    if missing:
        raise ValidationError({"answers": _("第%(n)s题未作答") % {"n": "、".join(map(str, missing))}})
    bad = [i + 1 for i, q in enumerate(questions) if not 0 <= answers[q.pk] < len(q.options)]
    if bad:
        raise ValidationError({"answers": _("第%(n)s题的答案不在选项范围内") % {"n": "、".join(map(str, bad))}})
    # Lock the record first: concurrent submissions then count one another's attempts.
    record = LearningRecord.objects.select_for_update().get(pk=open_record(member, content).pk)
    day = timezone.localdate()
    left = attempts_left(member, content, day)
    if left == 0:
        raise ValidationError({"__all__": _("今天已提交%(n)d次测试，达到每天的上限，请明天再试") % {
            "n": int(rule("learning.quiz_max_attempts_per_day"))}})
    score = round(100 * sum(answers[q.pk] == q.answer for q in questions) / len(questions))
    QuizAttempt.objects.create(member=member, content=content, day=day, score=score)
    if record.quiz_score is None or score > record.quiz_score:
        record.quiz_score = score
        record.save(update_fields=["quiz_score"])
    passed = score >= int(rule("learning.quiz_pass_score"))
    if passed:
        award(member, PointEvent.QUIZ_PASSED, f"quiz:{content.pk}")
    return QuizResult(score, passed, None if left is None else left - 1)


@transaction.atomic
def manual_award(actor, member, points: int, reason: str, *, today: dt.date | None = None):
    """Staff reward a member within their write scope, under the rules of points.award_manual (caps, a
    reason, never themselves)."""
    ensure_in_scope(actor, member, "member")
    entry = award_manual(actor, member, points, reason, day=today)
    audit.record(actor, audit.Action.CREATE, entry, audit.snapshot(entry))
    return entry


@transaction.atomic
def publish_replay(actor, meeting) -> Content:
    """A meeting's replay becomes learning content (created once, kept in step with the meeting)."""
    content = Content.objects.filter(meeting=meeting).first() or Content(meeting=meeting, kind=ContentKind.REPLAY,
                                                                         created_by=actor)
    content.region, content.organization = None, meeting.organization  # the meeting's organisation owns it
    content.title = f"{meeting.get_kind_display()}：{meeting.title}"[:200]
    content.summary = f"{meeting.organization.name} {meeting.held_on or meeting.starts_at.date()}"[:300]
    content.url = meeting.replay_url
    if meeting.replay_file:
        content.file = meeting.replay_file.name
    content.published = True
    creating = content.pk is None
    content.save()
    audit.record(actor, audit.Action.CREATE if creating else audit.Action.UPDATE, content, audit.snapshot(content))
    return content
