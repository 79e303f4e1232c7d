"""e家 smart learning: a content library pushed to members as "today's study", learning records,
quizzes, and a points ledger fed by events under the rule set's per-day caps."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedQuerySet, any_of, prefix_q


class ContentKind(models.TextChoices):
    ARTICLE = "article", _("文章")
    VIDEO = "video", _("视频")
    DOCUMENT = "document", _("文档")
    MICRO_LECTURE = "micro_lecture", _("微党课")
    REPLAY = "replay", _("会议回放")


class Series(models.Model):
    name = models.CharField(_("系列名称"), max_length=100, unique=True)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("学习系列")
        verbose_name_plural = _("学习系列")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("标签"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContentQuerySet(ScopedQuerySet):
    def scope_q(self, scope):
        # Who may change a content: staff whose write scope covers its owner (the publishing region, or the
        # publishing organisation or its region). Reading is shared through queries.library, not this scope.
        return any_of([prefix_q("region__path", scope.region_paths),
                       prefix_q("organization__region__path", scope.region_paths),
                       prefix_q("organization__path", scope.org_paths)])


class Content(models.Model):
    """A piece of study material. The library is shared district-wide: everyone may read it; it belongs to the
    region or organisation that published it, and only staff whose write scope covers that owner change it
    (``Content.objects.scoped(user, for_write=True)``). A content with no owner is changed by superusers only."""

    kind = models.CharField(_("类型"), max_length=16, choices=ContentKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True)
    file = models.FileField(_("文件"), upload_to="learning/%Y/%m/", blank=True)
    url = models.URLField(_("视频链接"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=0)
    series = models.ForeignKey(Series, verbose_name=_("系列"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="contents")
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="contents")
    meeting = models.OneToOneField("orglife.Meeting", verbose_name=_("来源会议"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="learning_content")
    published = models.BooleanField(_("已发布"), default=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("发布区域"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("发布党组织"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习内容")
        verbose_name_plural = _("学习内容")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(region__isnull=True) | models.Q(
            organization__isnull=True), name="learning_content_one_owner")]

    @property
    def owner(self):
        return self.region or self.organization

    def __str__(self):
        return self.title


class Question(models.Model):
    """A single-choice quiz question on a content; ``options`` is a list of strings, ``answer`` an index."""

    content = models.ForeignKey(Content, verbose_name=_("学习内容"), on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("题目"), max_length=300)
    options = models.JSONField(_("选项"))
    answer = models.PositiveSmallIntegerField(_("正确选项"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("测试题")
        verbose_name_plural = _("测试题")
        ordering = ["content", "order", "id"]

    def __str__(self):
        return self.text


class AudienceGroup(models.TextChoices):
    ALL = "", _("全体党员")
    COURIERS = "couriers", _("快递小哥党员")
    MOBILE = "mobile", _("流动党员")


class PushQuerySet(ScopedQuerySet):
    def scope_q(self, scope):
        # Staff see the pushes they can target; members use learning.queries.todays_study instead.
        return prefix_q("organizations__path", scope.org_paths) | prefix_q("regions__path", scope.region_paths)


class Push(models.Model):
    """Today's study: a content pushed on a date to the members of chosen organisations (with their
    subtrees) and/or regions, optionally narrowed to a group (e.g. couriers)."""

    content = models.ForeignKey(Content, verbose_name=_("学习内容"), on_delete=models.CASCADE, related_name="pushes")
    date = models.DateField(_("推送日期"))
    organizations = models.ManyToManyField("organizations.Organization", verbose_name=_("党组织"), blank=True,
                                           related_name="+")
    regions = models.ManyToManyField("regions.Region", verbose_name=_("区域"), blank=True, related_name="+")
    group = models.CharField(_("对象"), max_length=16, choices=AudienceGroup.choices, blank=True, default="")
    note = models.CharField(_("推送语"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("推送人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = PushQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习推送")
        verbose_name_plural = _("学习推送")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.date} {self.content}"


class RecordQuerySet(ScopedQuerySet):
    def scope_q(self, scope):
        from dangjian.members.models import Member

        members = Member.objects.all()
        return models.Q(member__in=members.filter(members.scope_q(scope)).values("pk"))


class LearningRecord(models.Model):
    """One member's study of one content: opened, time spent, completed, best quiz score."""

    member = models.ForeignKey("members.Member", verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="learning_records")
    content = models.ForeignKey(Content, verbose_name=_("学习内容"), on_delete=models.CASCADE, related_name="records")
    opened_at = models.DateTimeField(_("首次打开"), auto_now_add=True)
    seconds = models.PositiveIntegerField(_("学习时长（秒）"), default=0)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    quiz_score = models.PositiveSmallIntegerField(_("测试得分"), null=True, blank=True)
    # The server's study clock: when the last counted heartbeat (or the study page's opening) happened.
    last_beat_at = models.DateTimeField(_("上次计时"), null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        constraints = [models.UniqueConstraint(fields=["member", "content"], name="learning_record_once")]

    def __str__(self):
        return f"{self.member} {self.content}"


class QuizAttempt(models.Model):
    """One submitted quiz, counted against the rule set's attempts per member, content and day."""

    member = models.ForeignKey("members.Member", verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="quiz_attempts")
    content = models.ForeignKey(Content, verbose_name=_("学习内容"), on_delete=models.CASCADE,
                                related_name="quiz_attempts")
    day = models.DateField(_("日期"))
    score = models.PositiveSmallIntegerField(_("得分"))
    at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("测试记录")
        verbose_name_plural = _("测试记录")
        indexes = [models.Index(fields=["member", "content", "day"])]

    def __str__(self):
        return f"{self.member} {self.content} {self.score}"


class PointEvent(models.TextChoices):
    STUDY_COMPLETED = "study_completed", _("完成学习")
    QUIZ_PASSED = "quiz_passed", _("测试通过")
    MEETING_ATTENDED = "meeting_attended", _("参加组织生活")
    MAKEUP_DONE = "makeup_done", _("完成补学")
    MANUAL = "manual", _("人工奖励")


class PointEntry(models.Model):
    """The points ledger: append-only; a member's points are the sum of their entries. ``source`` names
    what earned them (e.g. "content:12", "meeting:5") so one event never pays twice."""

    member = models.ForeignKey("members.Member", verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="points")
    event = models.CharField(_("事项"), max_length=20, choices=PointEvent.choices)
    points = models.IntegerField(_("积分"))
    day = models.DateField(_("日期"))
    source = models.CharField(_("来源"), max_length=60)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    # Who recorded it: the staff member who gave a manual award, or who marked the member present at a meeting
    # (the member themselves when they signed in with the QR code); empty for points the system pays alone.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "event", "source"], name="points_once_per_source")]
        indexes = [models.Index(fields=["member", "event", "day"]), models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.member} {self.points:+d} {self.get_event_display()}"
