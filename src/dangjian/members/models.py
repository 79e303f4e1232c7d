from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core import pii
from dangjian.core.scoping import ScopedQuerySet, any_of, prefix_q


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Category(models.TextChoices):
    FORMAL = "formal", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class MemberStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    SUSPENDED = "suspended", _("停止党籍")
    TRANSFERRED = "transferred", _("已转出")
    DECEASED = "deceased", _("已故")
    LEFT = "left", _("已出党")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR = "junior", _("初中及以下")


class MemberQuerySet(ScopedQuerySet):
    def scope_q(self, scope):
        # organization_id IN (the organisations in scope): a semi-join, so a count or a page of ids reads the
        # member table's (organization, ...) index alone instead of joining every member to its organisation.
        from dangjian.organizations.models import Organization, OrgUnit
        from dangjian.regions.models import Region

        orgs = any_of([
            prefix_q("path", scope.org_paths),
            models.Q(region__in=Region.objects.filter(prefix_q("path", scope.region_paths)).values("pk"))
            if scope.region_paths else None,
        ])
        return any_of([
            models.Q(organization__in=Organization.objects.filter(orgs).values("pk"))
            if scope.region_paths or scope.org_paths else None,
            models.Q(pk__in=scope.member_ids) if scope.member_ids else None,
            # An officer's assigned units' organisations: their current members (read as a roster, accounts.reads).
            # An enterprise contact's unit (unit_ids) reaches no members: their records are the party's, not the
            # employer's.
            models.Q(organization__in=OrgUnit.objects.filter(unit__in=scope.served_unit_ids).values("organization"),
                     status=MemberStatus.NORMAL)
            if scope.served_unit_ids else None,
        ])

    def current(self):
        return self.filter(status=MemberStatus.NORMAL)

    def with_id_number(self, number: str):
        return self.filter(id_number_hash=pii.blind_index(number))


class Member(models.Model):
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    # Citizen ID and phone: ciphertext, keyed hash (unique look-up) and a masked copy for lists.
    id_number_enc = models.TextField(_("身份证号码（密文）"), editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, editable=False)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    category = models.CharField(_("人员类别"), max_length=16, choices=Category.choices, default=Category.FORMAL)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("所在党支部"), on_delete=models.PROTECT, related_name="members"
    )
    join_date = models.DateField(_("入党日期"))
    confirm_date = models.DateField(_("转正日期"), null=True, blank=True)
    job = models.CharField(_("工作岗位"), max_length=100, blank=True)
    phone_enc = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    household_registration = models.CharField(_("户籍所在地"), max_length=200, blank=True)
    residence = models.CharField(_("现居住地"), max_length=200, blank=True)
    status = models.CharField(_("党籍状态"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.NORMAL)
    is_mobile = models.BooleanField(_("流动党员"), default=False)
    employer = models.ForeignKey(
        "units.Unit", verbose_name=_("工作单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    dues_standard = models.DecimalField(_("党费缴纳标准（元/月）"), max_digits=10, decimal_places=2, null=True, blank=True)
    dues_paid_until = models.DateField(_("党费缴至（月）"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["organization_id", "name", "id"]
        permissions = [("unmask_pii", _("查看完整身份证号和电话"))]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["employer", "status"]),
            # The list order (Meta.ordering and the API's): a page is an index walk, its ids an index-only read.
            models.Index(fields=["organization", "name", "id"], name="members_list_order_idx"),
        ]

    def __str__(self):
        return self.name

    def set_id_number(self, number: str, digest: str | None = None) -> None:
        """digest: pii.blind_index(number) when the caller already computed it."""
        self.id_number_enc = pii.encrypt(number)
        self.id_number_hash = digest or pii.blind_index(number)
        self.id_number_masked = pii.mask_citizen_id(number)

    def set_phone(self, phone: str) -> None:
        self.phone_enc = pii.encrypt(phone)
        self.phone_hash = pii.blind_index(phone)
        self.phone_masked = pii.mask_phone(phone)

    @property
    def id_number(self) -> str:
        """Plain ID number. Only actions.unmask_member (which logs) should show it to a person."""
        return pii.decrypt(self.id_number_enc)

    @property
    def phone(self) -> str:
        return pii.decrypt(self.phone_enc)
