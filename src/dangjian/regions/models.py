from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangjian.core.scoping import ScopedQuerySet, any_of, prefix_q


class RegionKind(models.TextChoices):
    DISTRICT = "district", _("区县")
    TOWN = "town", _("镇")
    STREET = "street", _("街道")
    TOWNSHIP = "township", _("乡")
    PARK = "park", _("园区")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    BUILDING = "building", _("商务楼宇")
    MARKET = "market", _("商圈市场")
    GRID = "grid", _("网格")


class RegionQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def scope_q(self, scope):
        # the registry's higher models by name: regions never import organizations or units (pyproject.toml)
        Organization, Unit = apps.get_model("organizations", "Organization"), apps.get_model("units", "Unit")

        return any_of([
            prefix_q("path", scope.region_paths),
            models.Q(pk__in=Organization.objects.filter(prefix_q("path", scope.org_paths)).values("region"))
            if scope.org_paths else None,
            models.Q(pk__in=Unit.objects.filter(pk__in=scope.unit_ids + scope.served_unit_ids).values("region"))
            if scope.unit_ids or scope.served_unit_ids else None,
        ])


class RegionManager(MP_NodeManager.from_queryset(RegionQuerySet)):
    """Tree-ordered like treebeard's manager, with the scoped() methods of our queryset."""

    def get_queryset(self):
        return RegionQuerySet(self.model, using=self._db).order_by("path")


class Region(MP_Node):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=RegionKind.choices)
    code = models.CharField(_("统计用区划代码"), max_length=12, blank=True, db_index=True)
    code_year = models.PositiveSmallIntegerField(_("代码年份"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)

    node_order_by = ["code", "name"]
    objects = RegionManager()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="region_code_unique"),
        ]

    def __str__(self):
        return self.name
