from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangjian.core.scoping import ScopedQuerySet, any_of, prefix_q


class OrgKind(models.TextChoices):
    PRIMARY_COMMITTEE = "primary_committee", _("基层党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    JOINT_BRANCH = "joint_branch", _("联合党支部")
    TEMPORARY_BRANCH = "temporary_branch", _("临时党支部")
    PARTY_GROUP = "party_group", _("党小组")
    GRID_GROUP = "grid_group", _("网格党小组")


class Formation(models.TextChoices):
    OWN = "own", _("单独组建")
    JOINT = "joint", _("联合组建")
    FALLBACK = "fallback", _("兜底覆盖")


class OrgStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    DISSOLVED = "dissolved", _("已撤销")


class OrganizationQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def scope_q(self, scope):
        Member = apps.get_model("members", "Member")  # by name: organizations never import members

        return any_of([
            prefix_q("region__path", scope.region_paths),
            prefix_q("path", scope.org_paths),
            models.Q(pk__in=Member.objects.filter(pk__in=scope.member_ids).values("organization"))
            if scope.member_ids else None,
            # An enterprise's, or an officer's assigned units' organisations.
            models.Q(pk__in=OrgUnit.objects.filter(unit__in=scope.unit_ids + scope.served_unit_ids)
                     .values("organization"))
            if scope.unit_ids or scope.served_unit_ids else None,
        ])

    def active(self):
        return self.filter(status=OrgStatus.ACTIVE)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    """Tree-ordered like treebeard's manager, with the scoped() methods of our queryset."""

    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    name = models.CharField(_("党组织名称"), max_length=200, db_index=True)
    kind = models.CharField(_("党组织类别"), max_length=24, choices=OrgKind.choices)
    formation = models.CharField(_("组建方式"), max_length=16, choices=Formation.choices, default=Formation.OWN)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="organizations"
    )
    units = models.ManyToManyField(
        "units.Unit", verbose_name=_("覆盖单位"), through="OrgUnit", related_name="organizations", blank=True
    )
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    term_start = models.DateField(_("本届任期开始"), null=True, blank=True)
    term_end = models.DateField(_("本届任期届满"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    node_order_by = None
    objects = OrganizationManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self):
        return self.name


class OrgUnit(models.Model):
    """A unit covered by an organisation; a joint branch has one row per covered unit."""

    organization = models.ForeignKey(Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="org_links")

    class Meta:
        verbose_name = _("覆盖单位")
        verbose_name_plural = _("覆盖单位")
        constraints = [models.UniqueConstraint(fields=["organization", "unit"], name="orgunit_unique")]


class CommitteePost(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    MEMBER = "member", _("委员")


class CommitteeMember(models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="committee")
    member = models.ForeignKey("members.Member", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="committee_posts")
    post = models.CharField(_("职务"), max_length=16, choices=CommitteePost.choices)
    start = models.DateField(_("任职开始"))
    end = models.DateField(_("任职结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("班子成员")
        verbose_name_plural = _("班子成员")
        ordering = ["organization", "post", "start"]
        indexes = [models.Index(fields=["organization", "post", "end"])]

    def __str__(self):
        return f"{self.organization} {self.get_post_display()} {self.member}"
