from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedQuerySet, any_of, prefix_q
from dangjian.units.industry import SECTIONS


class UnitKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("非公企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    SMALL_BUSINESS = "small_business", _("小微企业")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    PROFESSIONAL_MARKET = "professional_market", _("专业市场")


class UnitStatus(models.TextChoices):
    OPERATING = "operating", _("存续经营")
    SUSPENDED = "suspended", _("停业")
    CLOSED = "closed", _("注销/吊销")


class SizeBand(models.TextChoices):
    """Employee-count bands used by the coverage breakdown."""

    MICRO = "micro", _("10人以下")
    SMALL = "small", _("10–49人")
    MEDIUM = "medium", _("50–299人")
    LARGE = "large", _("300人及以上")


SIZE_BAND_BOUNDS = [(SizeBand.MICRO, 0, 9), (SizeBand.SMALL, 10, 49), (SizeBand.MEDIUM, 50, 299), (SizeBand.LARGE, 300, None)]


def size_band(employees: int) -> str:
    for band, low, high in SIZE_BAND_BOUNDS:
        if employees >= low and (high is None or employees <= high):
            return band
    return SizeBand.MICRO


class UnitQuerySet(ScopedQuerySet):
    def named(self, text: str):
        """The unit called exactly ``text``, or with ``text`` as its credit code (None when blank or absent):
        how a clerk taking a call names the enterprise."""
        text = (text or "").strip()
        return self.filter(Q(name=text) | Q(credit_code=text.upper())).first() if text else None

    def scope_q(self, scope):
        OrgUnit = apps.get_model("organizations", "OrgUnit")  # by name: units never import organizations

        return any_of([
            prefix_q("region__path", scope.region_paths),
            Q(pk__in=OrgUnit.objects.filter(prefix_q("organization__path", scope.org_paths)).values("unit"))
            if scope.org_paths else None,
            Q(pk__in=scope.unit_ids + scope.served_unit_ids) if scope.unit_ids or scope.served_unit_ids else None,
        ])

    def operating(self):
        return self.filter(status=UnitStatus.OPERATING)


class UnitRowsQuerySet(ScopedQuerySet):
    """Rows about a unit (its requests, visits, published items …): seen by whoever sees the unit (its region,
    its organisations, the enterprise itself). For models with a ``unit`` foreign key."""

    def scope_q(self, scope):
        return any_of([
            prefix_q("unit__region__path", scope.region_paths),
            Q(unit__in=Unit.objects.filter(Unit.objects.all().scope_q(scope)).values("pk"))
            if scope.org_paths or scope.unit_ids or scope.served_unit_ids else None,
        ])


class Unit(models.Model):
    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    kind = models.CharField(_("单位类型"), max_length=24, choices=UnitKind.choices, default=UnitKind.ENTERPRISE)
    industry_section = models.CharField(_("行业门类"), max_length=1, choices=[(k, v) for k, v in SECTIONS.items()])
    industry_division = models.CharField(_("行业大类"), max_length=2, blank=True)
    employees = models.PositiveIntegerField(_("从业人员数"), default=0)
    above_size = models.BooleanField(_("规模以上"), default=False)
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="units")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    status = models.CharField(_("经营状态"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.OPERATING)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""), name="unit_credit_code_unique"),
        ]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["industry_section"])]

    def __str__(self):
        return self.name

    @property
    def size_band(self) -> str:
        return size_band(self.employees)
