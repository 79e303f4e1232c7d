"""三会一课 and the rest of organisational life: meetings, who attends, what was recorded and decided,
democratic appraisal and heart-to-heart talks. Rules (frequencies, theme day, limits) live in the rule set."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedQuerySet, any_of, prefix_q


class MeetingKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    APPRAISAL = "appraisal", _("民主评议党员")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    NOTIFIED = "notified", _("已通知")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class OrgScopedQuerySet(ScopedQuerySet):
    """Rows reached through their organisation (``org_field``): the organisation's region or path in scope,
    or, for a member, their own organisation's rows."""

    org_field = "organization"

    def scope_q(self, scope):
        from dangjian.members.models import Member

        f = self.org_field
        return any_of([
            prefix_q(f"{f}__region__path", scope.region_paths),
            prefix_q(f"{f}__path", scope.org_paths),
            models.Q(**{f"{f}__in": Member.objects.filter(pk__in=scope.member_ids).values("organization")})
            if scope.member_ids else None,
        ])


class MeetingQuerySet(OrgScopedQuerySet):
    def scope_q(self, scope):
        # A hosted mobile member also sees the meetings they are invited to as a guest.
        return any_of([
            super().scope_q(scope),
            models.Q(pk__in=Attendance.objects.filter(member__in=scope.member_ids).values("meeting"))
            if scope.member_ids else None,
        ])


class MeetingPartQuerySet(OrgScopedQuerySet):
    """Attendance, minutes, files and votes: in scope when their meeting is."""

    org_field = "meeting__organization"


class Meeting(models.Model):
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("党组织"), on_delete=models.CASCADE,
                                     related_name="meetings")
    kind = models.CharField(_("类型"), max_length=24, choices=MeetingKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    agenda = models.TextField(_("议程"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online = models.BooleanField(_("线上会议"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    replay_url = models.URLField(_("回放链接"), blank=True)
    replay_file = models.FileField(_("回放视频"), upload_to="orglife/replays/%Y/%m/", blank=True)
    decisions = models.TextField(_("决议"), blank=True)
    # Secret for the rotating sign-in codes (orglife.signin); never shown.
    signin_secret = models.CharField(max_length=64, editable=False)
    # Attendance counts kept by the actions, so compliance roll-ups never scan attendance rows.
    expected_count = models.PositiveIntegerField(_("应到人数"), default=0)
    present_count = models.PositiveIntegerField(_("实到人数"), default=0)
    leave_count = models.PositiveIntegerField(_("请假人数"), default=0)
    made_up_count = models.PositiveIntegerField(_("补学人数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "kind", "held_on"]),
            models.Index(fields=["status", "held_on"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class AttendeeRole(models.TextChoices):
    MEMBER = "member", _("本组织党员")
    GUEST = "guest", _("流动党员（列席，无表决权）")


class Reply(models.TextChoices):
    NONE = "", _("未回复")
    SIGNED_UP = "signed_up", _("已报名")
    LEAVE = "leave", _("请假")


class Presence(models.TextChoices):
    UNKNOWN = "", _("未签到")
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
    MADE_UP = "made_up", _("已补学")


class SignInMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    MARKED = "marked", _("书记代签")


class Attendance(models.Model):
    """One invited person of one meeting: reply, presence, and make-up study if absent."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("members.Member", verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="attendances")
    role = models.CharField(_("身份"), max_length=8, choices=AttendeeRole.choices, default=AttendeeRole.MEMBER)
    can_vote = models.BooleanField(_("有表决权"), default=True)  # formal members of the organisation only
    reply = models.CharField(_("回复"), max_length=12, choices=Reply.choices, blank=True, default="")
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    presence = models.CharField(_("出席情况"), max_length=8, choices=Presence.choices, blank=True, default="")
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    sign_in_method = models.CharField(_("签到方式"), max_length=8, choices=SignInMethod.choices, blank=True)
    made_up_at = models.DateTimeField(_("补学时间"), null=True, blank=True)
    made_up_note = models.CharField(_("补学心得"), max_length=500, blank=True)

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("参会记录")
        verbose_name_plural = _("参会记录")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]
        indexes = [models.Index(fields=["member", "presence"])]

    def __str__(self):
        return f"{self.member} @ {self.meeting}"


class HostedMember(models.Model):
    """A mobile member (流动党员) hosted by an organisation other than their own: invited as a guest."""

    organization = models.ForeignKey("organizations.Organization", verbose_name=_("党组织"), on_delete=models.CASCADE,
                                     related_name="hosted_members")
    member = models.ForeignKey("members.Member", verbose_name=_("流动党员"), on_delete=models.CASCADE,
                               related_name="hosted_by")
    since = models.DateField(_("开始日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("流动党员管理")
        verbose_name_plural = _("流动党员管理")
        constraints = [models.UniqueConstraint(fields=["organization", "member", "since"], name="hosted_once")]

    def __str__(self):
        return f"{self.member} → {self.organization}"


class MinutesRevision(models.Model):
    """Minutes are append-only: each save adds a revision; the latest is current."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("会议记录"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议记录修订")
        verbose_name_plural = _("会议记录修订")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.meeting} {self.at:%Y-%m-%d %H:%M}"


class FileKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    ATTACHMENT = "attachment", _("附件")


class MeetingFile(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类型"), max_length=12, choices=FileKind.choices)
    file = models.FileField(_("文件"), upload_to="orglife/files/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议文件")
        verbose_name_plural = _("会议文件")
        ordering = ["at", "id"]

    def __str__(self):
        return self.name


class Vote(models.Model):
    """A vote taken at a meeting (e.g. admitting or confirming a member), counted per domain-rules §2:
    quorum = more than half of those entitled attend; passed = yes (incl. absentees' written opinions)
    from more than half of all entitled, not of those present."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="votes")
    subject = models.CharField(_("表决事项"), max_length=200)
    entitled = models.PositiveIntegerField(_("有表决权人数"))
    attending = models.PositiveIntegerField(_("到会有表决权人数"))
    yes = models.PositiveIntegerField(_("赞成"))
    no = models.PositiveIntegerField(_("反对"))
    abstain = models.PositiveIntegerField(_("弃权"))
    written_yes = models.PositiveIntegerField(_("书面赞成（未到会）"), default=0)
    written_no = models.PositiveIntegerField(_("书面反对（未到会）"), default=0)
    passed = models.BooleanField(_("通过"))
    # A second vote on the same subject in the same meeting (复议/重新表决) replaces the one before it, with its
    # reason; the replaced vote stays as history. The votes of a subject form one chain (one-to-one links).
    replaces = models.OneToOneField("self", verbose_name=_("取代的表决"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")
    revote_reason = models.CharField(_("重新表决事由"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        constraints = [
            # Only one first vote per subject and meeting: any later one must be a re-vote.
            models.UniqueConstraint(fields=["meeting", "subject"], condition=models.Q(replaces__isnull=True),
                                    name="vote_first_once_per_subject"),
        ]

    def __str__(self):
        return self.subject


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class Appraisal(models.Model):
    """民主评议党员: one grade per member and year, recorded for the organisation as a whole."""

    organization = models.ForeignKey("organizations.Organization", verbose_name=_("党组织"), on_delete=models.CASCADE,
                                      related_name="appraisals")
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey("members.Member", verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="appraisals")
    grade = models.CharField(_("评议等次"), max_length=12, choices=Grade.choices)
    meeting = models.ForeignKey(Meeting, verbose_name=_("评议会议"), null=True, blank=True, on_delete=models.SET_NULL)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        constraints = [models.UniqueConstraint(fields=["year", "member"], name="appraisal_once_a_year")]

    def __str__(self):
        return f"{self.year} {self.member} {self.get_grade_display()}"


class TalkKind(models.TextChoices):
    COMMITTEE_COMMITTEE = "cc", _("支委之间")
    COMMITTEE_MEMBER = "cm", _("支委与党员")
    MEMBER_MEMBER = "mm", _("党员之间")


class HeartTalk(models.Model):
    """谈心谈话: one talk between two members of an organisation; the pair is stored in id order."""

    organization = models.ForeignKey("organizations.Organization", verbose_name=_("党组织"), on_delete=models.CASCADE,
                                     related_name="talks")
    date = models.DateField(_("谈话日期"))
    first = models.ForeignKey("members.Member", verbose_name=_("谈话人"), on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("members.Member", verbose_name=_("谈话对象"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=2, choices=TalkKind.choices)
    notes = models.TextField(_("谈话要点"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"])]

    def __str__(self):
        return f"{self.date} {self.first} ↔ {self.second}"
