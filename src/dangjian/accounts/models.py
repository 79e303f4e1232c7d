from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core import pii


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区级管理员")
    REGION_ADMIN = "region_admin", _("镇街园区管理员")
    SECRETARY = "secretary", _("党组织书记")
    CLERK = "clerk", _("党务工作者")
    MEMBER = "member", pgettext_lazy("role", "党员")  # context: one member, not the "党员" list/menu
    INSTRUCTOR = "instructor", _("党建指导员")
    ENTERPRISE = "enterprise", _("企业联络员")
    OFFICER = "officer", _("助企服务员")
    DEPARTMENT = "department", _("部门办理人员")


# Which node each role is bound to, and whether it may write there.
ROLE_ANCHOR = {
    Role.DISTRICT_ADMIN: "region",
    Role.REGION_ADMIN: "region",
    Role.INSTRUCTOR: "region",
    Role.SECRETARY: "organization",
    Role.CLERK: "organization",
    Role.MEMBER: "member",
    Role.ENTERPRISE: "unit",
    Role.OFFICER: "region",
    Role.DEPARTMENT: "department",
}
WRITING_ROLES = {Role.DISTRICT_ADMIN, Role.REGION_ADMIN, Role.SECRETARY, Role.CLERK}


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), related_name="role_assignments", on_delete=models.CASCADE
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区域"), null=True, blank=True, on_delete=models.CASCADE
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("党组织"), null=True, blank=True, on_delete=models.CASCADE
    )
    member = models.ForeignKey("members.Member", verbose_name=_("党员"), null=True, blank=True, on_delete=models.CASCADE)
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE)
    department = models.ForeignKey("services.Department", verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def clean(self):
        anchor = ROLE_ANCHOR.get(self.role)
        if anchor and getattr(self, f"{anchor}_id") is None:
            raise ValidationError({anchor: _("该角色必须绑定到%(what)s") % {"what": self._meta.get_field(anchor).verbose_name}})

    @property
    def anchor(self):
        return getattr(self, ROLE_ANCHOR[self.role])

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.anchor}"


class StaffProfile(models.Model):
    """Who a staff account is in person (name, citizen ID, phone), so rules that concern the person and not
    the login — such as never awarding points to oneself — hold also for staff not linked to a member record.
    ID and phone are kept like a member's: ciphertext, keyed hash for matching, masked copy for display."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="staff_profile")
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_number_enc = models.TextField(_("身份证号码（密文）"), blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, blank=True, editable=False)
    phone_enc = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)

    class Meta:
        verbose_name = _("工作人员身份")
        verbose_name_plural = _("工作人员身份")

    def __str__(self):
        return f"{self.user} · {self.name or '—'}"

    def set_id_number(self, number: str) -> None:
        self.id_number_enc = pii.encrypt(number)
        self.id_number_hash = pii.blind_index(number)
        self.id_number_masked = pii.mask_citizen_id(number)

    def set_phone(self, phone: str) -> None:
        self.phone_enc = pii.encrypt(phone)
        self.phone_hash = pii.blind_index(phone)
        self.phone_masked = pii.mask_phone(phone)
