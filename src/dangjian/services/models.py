"""Service to enterprises: the departments that answer, the officers sent to units (党建指导员, 助企服务员,
驻厂员, 第一书记) and their assignments, visit logs, enterprise requests (诉求) with their history, and the
problems and good suggestions (问题 / 好建议) collected from staff."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedQuerySet, any_of, prefix_q
from dangjian.units.models import UnitRowsQuerySet


class DepartmentKind(models.TextChoices):
    DISTRICT = "district", _("区级部门")
    TOWN = "town", _("镇街园区办公室")


class Department(models.Model):
    """A district department or town office that requests are routed to (a registry shared by the district)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=DepartmentKind.choices, default=DepartmentKind.DISTRICT)
    region = models.ForeignKey("regions.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("负责人"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


def departments_for(user):
    """The active departments of the districts a user works in (a department serves its own district only):
    the choices offered to the user when routing or filtering requests."""
    from dangjian.accounts.models import RoleAssignment
    from dangjian.core.scoping import prefix_q
    from dangjian.regions.models import Region

    departments = Department.objects.filter(active=True)
    if user.is_superuser:
        return departments
    columns = ("region__path", "organization__region__path", "member__organization__region__path",
               "unit__region__path", "department__region__path")
    roots = {path[:Region.steplen] for row in RoleAssignment.objects.filter(user=user).values_list(*columns)
             for path in row if path}
    return departments.filter(prefix_q("region__path", roots))


class OfficerKind(models.TextChoices):
    INSTRUCTOR = "instructor", _("党建指导员")
    SERVICE = "service", _("助企服务员")
    RESIDENT = "resident", _("驻厂员")
    FIRST_SECRETARY = "first_secretary", _("第一书记")


class OfficerQuerySet(ScopedQuerySet):
    def scope_q(self, scope):
        return any_of([prefix_q("region__path", scope.region_paths),
                       Q(department__in=scope.department_ids) if scope.department_ids else None])


class Officer(models.Model):
    """A person sent to serve units; ``region`` is where they are based (their units are found near it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="officer")
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("类别"), max_length=16, choices=OfficerKind.choices)
    department = models.ForeignKey(Department, verbose_name=_("派出部门"), on_delete=models.PROTECT,
                                   related_name="officers")
    region = models.ForeignKey("regions.Region", verbose_name=_("驻点区域"), on_delete=models.PROTECT)
    active = models.BooleanField(_("在岗"), default=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务人员")
        verbose_name_plural = _("服务人员")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"


class Assignment(models.Model):
    officer = models.ForeignKey(Officer, verbose_name=_("服务人员"), on_delete=models.CASCADE,
                                related_name="assignments")
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE,
                             related_name="service_assignments")
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("联系党组织"), null=True,
                                     blank=True, on_delete=models.SET_NULL)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    objects = UnitRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系单位")
        verbose_name_plural = _("联系单位")
        indexes = [models.Index(fields=["officer", "end"]), models.Index(fields=["unit", "end"])]
        constraints = [models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                              name="assignment_end_after_start")]

    def __str__(self):
        return f"{self.officer} → {self.unit}"


class Visit(models.Model):
    officer = models.ForeignKey(Officer, verbose_name=_("服务人员"), on_delete=models.PROTECT, related_name="visits")
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("走访日期"))
    purpose = models.CharField(_("走访事由"), max_length=200)
    findings = models.TextField(_("了解情况"), blank=True)
    follow_up = models.TextField(_("后续跟进"), blank=True)
    photo = models.ImageField(_("照片"), upload_to="services/visits/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = UnitRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"]), models.Index(fields=["officer", "date"])]

    def __str__(self):
        return f"{self.date} {self.unit}"


class Channel(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业提交")
    VISIT = "visit", _("走访收集")
    PHONE = "phone", _("电话受理")


class Category(models.TextChoices):
    """The kinds of problems enterprises bring (routing and deadlines per category: rule services.categories)."""

    RECRUITMENT = "recruitment", _("招工用工")
    FINANCING = "financing", _("融资贷款")
    TRANSPORT = "transport", _("交通物流")
    SCHOOLING = "schooling", _("子女入学")
    LAND = "land", _("用地规划")
    POLICY = "policy", _("政策咨询")
    OTHER = "other", _("其他")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    RETURNED = "returned", _("退回重办")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    REOPENED = "reopened", _("已重启")


# Accepted and not answered yet: the deadline runs, and is escalated once passed.
AWAITING_REPLY = [State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS, State.RETURNED, State.REOPENED]
OPEN_STATES = [State.SUBMITTED, *AWAITING_REPLY]


class RequestQuerySet(UnitRowsQuerySet):
    def scope_q(self, scope):
        return any_of([super().scope_q(scope), Q(department__in=scope.department_ids) if scope.department_ids else None])

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Request(models.Model):
    """An enterprise request (诉求): a problem raised by the unit, an officer on a visit, or a clerk on the phone."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="requests")
    channel = models.CharField(_("来源"), max_length=12, choices=Channel.choices)
    category = models.CharField(_("类别"), max_length=24, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("具体情况"))
    attachment = models.FileField(_("附件"), upload_to="services/requests/%Y/%m/", blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    visit = models.ForeignKey(Visit, verbose_name=_("走访记录"), null=True, blank=True, on_delete=models.SET_NULL)
    officer = models.ForeignKey(Officer, verbose_name=_("联系服务人员"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="requests")
    department = models.ForeignKey(Department, verbose_name=_("承办部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="requests")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    # Counted through a year whose holiday arrangement the calendar lacked (services.workdays): weekdays only.
    deadline_provisional = models.BooleanField(_("时限暂按工作日计算"), default=False)
    reply = models.TextField(_("答复内容"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("满意度评分"), null=True, blank=True)
    rating_comment = models.CharField(_("评价"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)  # optimistic lock: one of two clicks wins

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["department", "state"]),
                   models.Index(fields=["submitted_at"])]
        constraints = [models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                              name="request_rating_1_to_5")]

    def __str__(self):
        return self.title

    def overdue_on(self, day) -> bool:
        return self.deadline is not None and self.deadline < day and self.state in AWAITING_REPLY


class RequestEvent(models.Model):
    """Every change of a request: who, when, from which state to which, and why."""

    request = models.ForeignKey(Request, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["at", "id"]


class IdeaKind(models.TextChoices):
    PROBLEM = "problem", _("问题")
    SUGGESTION = "suggestion", _("好建议")


class Adoption(models.TextChoices):
    PENDING = "pending", _("待研究")
    ADOPTED = "adopted", _("已采纳")
    DECLINED = "declined", _("未采纳")


class Idea(models.Model):
    """A problem or good suggestion from a unit's staff (问题 / 好建议), and whether it was adopted."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="ideas")
    kind = models.CharField(_("类型"), max_length=12, choices=IdeaKind.choices)
    text = models.TextField(_("内容"))
    staff_name = models.CharField(_("提出人"), max_length=50, blank=True)
    adoption = models.CharField(_("采纳情况"), max_length=10, choices=Adoption.choices, default=Adoption.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    objects = UnitRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题和好建议")
        verbose_name_plural = _("问题和好建议")
        ordering = ["-created_at", "-id"]
