from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkLinkKind(models.TextChoices):
    INSTRUCTOR = "instructor", _("党建指导员")
    LIAISON = "liaison", _("党建联络员")
    UNION = "union", _("工会/群团组织")


class WorkLink(models.Model):
    """Party work reaching a unit without an organisation of its own (counts toward work coverage)."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="work_links")
    kind = models.CharField(_("方式"), max_length=16, choices=WorkLinkKind.choices)
    person_name = models.CharField(_("联系人"), max_length=50, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True, on_delete=models.SET_NULL)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作覆盖联系")
        verbose_name_plural = _("工作覆盖联系")
        indexes = [models.Index(fields=["unit", "end"])]


class CoverageSnapshot(models.Model):
    """Monthly figures per region, so the dashboard can draw a trend without recomputing history."""

    month = models.DateField(_("月份"))  # first day of the month
    region = models.ForeignKey("regions.Region", verbose_name=_("区域"), on_delete=models.CASCADE)
    units = models.PositiveIntegerField(_("在营单位数"))
    covered = models.PositiveIntegerField(_("组织覆盖单位数"))
    own = models.PositiveIntegerField(_("单独组建单位数"))
    work_covered = models.PositiveIntegerField(_("工作覆盖单位数"))
    taken_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("覆盖率月度快照")
        verbose_name_plural = _("覆盖率月度快照")
        constraints = [models.UniqueConstraint(fields=["month", "region"], name="snapshot_month_region")]
        ordering = ["month"]
