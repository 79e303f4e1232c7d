"""Linkage groups (党建联动组, "1+1+N"), pairings (strong–weak, 企村共建 with its six required actions, 三联共建),
industry alliances (党建联盟) with their need and resource lists, deals, and the talent pool."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedQuerySet, prefix_q
from dangjian.units.models import UnitRowsQuerySet


class RegionScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a region: seen by the users whose region covers it."""

    region_path = "region__path"

    def scope_q(self, scope):
        return prefix_q(self.region_path, scope.region_paths)


# --- linkage groups ----------------------------------------------------------------------------------------

class Scheme(models.Model):
    """A grouping of a region's units into linkage groups: a draft while it is being arranged, then accepted."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("区域"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("起始年度"))
    seed = models.PositiveIntegerField(_("随机种子"), default=1)
    accepted = models.BooleanField(_("已确定"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联动组方案")
        verbose_name_plural = _("联动组方案")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class LinkGroup(models.Model):
    scheme = models.ForeignKey(Scheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("组号"))
    name = models.CharField(_("名称"), max_length=100)
    leader = models.ForeignKey("units.Unit", verbose_name=_("牵头单位"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    agreement = models.FileField(_("资源共享协议"), upload_to="alliances/agreements/%Y/", blank=True)

    class Meta:
        verbose_name = _("联动组")
        verbose_name_plural = _("联动组")
        ordering = ["scheme", "number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="linkgroup_scheme_number")]

    def __str__(self):
        return self.name


class LinkMember(models.Model):
    group = models.ForeignKey(LinkGroup, verbose_name=_("联动组"), on_delete=models.CASCADE, related_name="members")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="+")  # for the unique constraint
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    moved = models.BooleanField(_("人工调整"), default=False)

    class Meta:
        verbose_name = _("联动组成员")
        verbose_name_plural = _("联动组成员")
        constraints = [models.UniqueConstraint(fields=["scheme", "unit"], name="linkmember_one_group_per_scheme")]


class Post(models.Model):
    """The group's notice board."""

    group = models.ForeignKey(LinkGroup, verbose_name=_("联动组"), on_delete=models.CASCADE, related_name="posts")
    text = models.TextField(_("内容"))
    file = models.FileField(_("附件"), upload_to="alliances/posts/%Y/%m/", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-at", "-id"]


class Activity(models.Model):
    """A joint activity of a linkage group ("one per half year") or of a pairing."""

    group = models.ForeignKey(LinkGroup, verbose_name=_("联动组"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="activities")
    pair = models.ForeignKey("Pair", verbose_name=_("结对"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="activities")
    date = models.DateField(_("日期"))
    title = models.CharField(_("活动主题"), max_length=200)
    host = models.ForeignKey("units.Unit", verbose_name=_("承办单位"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField(_("活动情况"), blank=True)

    class Meta:
        verbose_name = _("联建活动")
        verbose_name_plural = _("联建活动")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(group__isnull=False) | Q(pair__isnull=False),
                                              name="activity_of_group_or_pair")]


# --- pairings ---------------------------------------------------------------------------------------------

class PairKind(models.TextChoices):
    STRONG_WEAK = "strong_weak", _("强弱结对")
    VILLAGE = "village", _("企村共建")
    THREE_LINK = "three_link", _("三联共建")


class Pair(models.Model):
    kind = models.CharField(_("类型"), max_length=12, choices=PairKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+")
    strong = models.ForeignKey("organizations.Organization", verbose_name=_("帮带党组织"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    weak = models.ForeignKey("organizations.Organization", verbose_name=_("受帮党组织"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", verbose_name=_("企业"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    village = models.ForeignKey("regions.Region", verbose_name=_("村（社区）"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    partner = models.CharField(_("共建单位"), max_length=100, blank=True)  # 三联: a government body, state firm, bank
    start = models.DateField(_("开始日期"))
    outcome = models.TextField(_("成效"), blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对共建")
        verbose_name_plural = _("结对共建")
        ordering = ["kind", "-start", "id"]

    def __str__(self):
        if self.kind == PairKind.STRONG_WEAK:
            return f"{self.strong} — {self.weak}"
        if self.kind == PairKind.VILLAGE:
            return f"{self.unit} — {self.village}"
        return f"{self.partner} — {self.weak}"


class SixAction(models.TextChoices):
    """企村共建's six required actions (六个一)."""

    AGREEMENT = "agreement", _("签订一份共建协议")
    INSTRUCTOR = "instructor", _("选派一名党建指导员")
    SURVEY = "survey", _("开展一次村情调研")
    PLAN = "plan", _("制定一个发展规划")
    ACTIVITY = "activity", _("组织一次联建活动")
    ASSISTANCE = "assistance", _("实施一批帮扶项目")


class PairAction(models.Model):
    pair = models.ForeignKey(Pair, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("事项"), max_length=12, choices=SixAction.choices)
    date = models.DateField(_("完成日期"))
    evidence = models.FileField(_("佐证材料"), upload_to="alliances/evidence/%Y/%m/")
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("共建事项")
        verbose_name_plural = _("共建事项")
        constraints = [models.UniqueConstraint(fields=["pair", "action"], name="pairaction_once")]


# --- alliances and the market -----------------------------------------------------------------------------

class Alliance(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("区域"), on_delete=models.PROTECT)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    description = models.TextField(_("简介"), blank=True)
    units = models.ManyToManyField("units.Unit", verbose_name=_("成员单位"), related_name="alliances", blank=True)
    organizations = models.ManyToManyField("organizations.Organization", verbose_name=_("成员党组织"),
                                           related_name="alliances", blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党建联盟")
        verbose_name_plural = _("党建联盟")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AllianceMeeting(models.Model):
    alliance = models.ForeignKey(Alliance, verbose_name=_("联盟"), on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("日期"))
    title = models.CharField(_("主题"), max_length=200)
    guests = models.CharField(_("列席部门和人员"), max_length=300, blank=True)
    summary = models.TextField(_("会议情况"), blank=True)

    class Meta:
        verbose_name = _("联盟联席会")
        verbose_name_plural = _("联盟联席会")
        ordering = ["-date", "-id"]


class ItemKind(models.TextChoices):
    NEED = "need", _("需求")
    RESOURCE = "resource", _("资源")


class ItemCategory(models.TextChoices):
    PRODUCTS = "products", _("产品采购")
    SERVICES = "services", _("专业服务")
    TALENT = "talent", _("人才用工")
    TECHNOLOGY = "technology", _("技术合作")
    VENUE = "venue", _("场地设备")
    FINANCE = "finance", _("资金融资")
    MARKET = "market", _("市场渠道")


class Item(models.Model):
    """A line of a unit's need list or resource list (需求清单 / 资源清单)."""

    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices)
    unit = models.ForeignKey("units.Unit", verbose_name=_("发布单位"), on_delete=models.CASCADE, related_name="items")
    alliance = models.ForeignKey(Alliance, verbose_name=_("联盟"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="items")
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"))
    category = models.CharField(_("类别"), max_length=12, choices=ItemCategory.choices)
    quantity = models.CharField(_("数量"), max_length=50, blank=True)
    valid_until = models.DateField(_("有效期至"))
    contact = models.CharField(_("联系人"), max_length=50)
    experts = models.ManyToManyField("Expert", verbose_name=_("关联人才"), related_name="items", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    objects = UnitRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("需求和资源")
        verbose_name_plural = _("需求和资源")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "valid_until"])]

    def __str__(self):
        return self.title


class Deal(models.Model):
    """A match that became business: the need, the resource that met it, and its value."""

    need = models.ForeignKey(Item, verbose_name=_("需求"), on_delete=models.PROTECT, related_name="deals_as_need")
    resource = models.ForeignKey(Item, verbose_name=_("资源"), on_delete=models.PROTECT,
                                 related_name="deals_as_resource")
    value = models.DecimalField(_("金额（万元）"), max_digits=12, decimal_places=2)
    date = models.DateField(_("成交日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("对接成交")
        verbose_name_plural = _("对接成交")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(value__gt=0), name="deal_value_positive")]


class Expert(models.Model):
    """The talent pool: experts and technicians the alliance's members can call on."""

    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职称或岗位"), max_length=100, blank=True)
    skills = models.CharField(_("专长"), max_length=300)
    unit = models.ForeignKey("units.Unit", verbose_name=_("所在单位"), on_delete=models.CASCADE, related_name="experts")
    contact = models.CharField(_("联系方式"), max_length=50, blank=True)

    objects = UnitRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("人才库")
        verbose_name_plural = _("人才库")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name}（{self.skills[:20]}）"
