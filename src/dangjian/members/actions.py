import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit, pii
from dangjian.core.actions import apply_fields, ensure_in_scope, save_with_audit
from dangjian.core.validators import validate_citizen_id, validate_phone
from dangjian.members import idcheck
from dangjian.members.models import Category, Member
from dangjian.organizations.models import OrgKind

FIELDS = {
    "name", "gender", "ethnicity", "birth_date", "education", "category", "organization", "join_date",
    "confirm_date", "job", "household_registration", "residence", "status", "is_mobile", "employer",
    "dues_standard", "dues_paid_until",
}
# Where a member is registered: a branch-level organisation or a party group, never a 基层党委 or 党总支
# (they lead branches; their own cadres belong to an office branch). Forms, API and imports all meet this
# rule through clean_member.
BRANCH_KINDS = frozenset({OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH, OrgKind.PARTY_GROUP,
                          OrgKind.GRID_GROUP})


def clean_member(member: Member, id_number: str | None, phone: str | None, *, actor=None, entry: str = idcheck.API,
                 lookup=None, id_hash: str | None = None) -> None:
    """All member rules; id_number/phone None means 'unchanged'. Raises ValidationError by field.

    Whether the ID number is free is answered by members.idcheck for ``actor`` (audited and rate-limited,
    naming where it is registered only inside the actor's scope; ``entry`` says where the look-up came from).
    ``lookup``: for batch callers (imports), ``(number, digest) -> message or None`` answering from the
    whole batch's look-up (idcheck.BatchCheck) instead of one query per member.
    ``id_hash``: pii.blind_index(id_number) if the caller already has it (imports hash every ID for
    that look-up), so that it is not computed again.
    """
    errors: dict[str, list] = {}
    today = dt.date.today()
    member.name = (member.name or "").strip()
    if not member.name:
        errors["name"] = [_("请填写姓名")]
    if id_number is not None:
        try:
            number = validate_citizen_id(id_number, member.birth_date, member.gender)
        except ValidationError as exc:
            field = "birth_date" if exc.code == "birth_mismatch" else "gender" if exc.code == "gender_mismatch" else "id_number"
            errors[field] = exc.messages
        else:
            digest = id_hash if id_hash and number == id_number else pii.blind_index(number)
            if lookup is None:
                refused = idcheck.check_number(actor, number, digest, entry=entry, exclude_pk=member.pk)
            else:
                refused = lookup(number, digest)
            if refused:
                errors["id_number"] = [refused]
            else:
                member.set_id_number(number, digest)
    if phone:
        try:
            member.set_phone(validate_phone(phone))
        except ValidationError as exc:
            errors["phone"] = exc.messages
    elif phone == "":
        member.phone_enc = member.phone_hash = member.phone_masked = ""
    if member.birth_date:
        if member.birth_date > today:
            errors.setdefault("birth_date", [_("出生日期不能晚于今天")])
    if member.join_date:
        if member.join_date > today:
            errors["join_date"] = [_("入党日期不能晚于今天")]
        elif member.birth_date and member.join_date < _years_after(member.birth_date, 18):
            errors["join_date"] = [_("入党时应年满18周岁")]
    if member.category == Category.FORMAL and member.join_date and member.confirm_date:
        if member.confirm_date < member.join_date:
            errors["confirm_date"] = [_("转正日期不能早于入党日期")]
        elif member.confirm_date > today:
            errors["confirm_date"] = [_("转正日期不能晚于今天")]
    if member.category == Category.PROBATIONARY and member.confirm_date:
        errors["confirm_date"] = [_("预备党员不应有转正日期")]
    if member.organization_id and member.organization.kind not in BRANCH_KINDS:
        errors["organization"] = [
            _("党员应编入党支部、联合党支部、临时党支部或党小组，不能直接编入%(kind)s“%(org)s”")
            % {"kind": member.organization.get_kind_display(), "org": member.organization.name}
        ]
    if member.dues_paid_until:
        member.dues_paid_until = member.dues_paid_until.replace(day=1)
    if errors:
        raise ValidationError(errors)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# The rules are checked before the write's transaction opens: the audit record of an ID number look-up
# (idcheck) must stay when the number is refused. The unique ID index still stops a racing duplicate.
def create_member(actor, *, id_number: str, phone: str = "", entry: str = idcheck.API, **data) -> Member:
    member = Member()
    apply_fields(member, data, FIELDS)
    if member.organization_id:
        ensure_in_scope(actor, member.organization, "organization")
    clean_member(member, id_number, phone, actor=actor, entry=entry)
    with transaction.atomic():
        return save_with_audit(actor, member)


def update_member(actor, member: Member, *, id_number: str | None = None, phone: str | None = None,
                  entry: str = idcheck.API, **data) -> Member:
    before = audit.snapshot(member)
    apply_fields(member, data, FIELDS)
    if "organization" in data:
        ensure_in_scope(actor, member.organization, "organization")
    clean_member(member, id_number, phone, actor=actor, entry=entry)
    changes_pii = [f for f, v in (("id_number", id_number), ("phone", phone)) if v is not None]
    with transaction.atomic():
        save_with_audit(actor, member, before)
        if changes_pii:
            # The log says that a protected field changed, never its value.
            audit.record(actor, audit.Action.UPDATE, member, {"changed_protected_fields": changes_pii})
    return member


def can_unmask(user) -> bool:
    return user.has_perm("members.unmask_pii")


def unmask_member(actor, member: Member) -> dict:
    """Reveal the full ID number and phone to a permitted user, and log that they saw them."""
    if not can_unmask(actor):
        raise PermissionDenied(_("您没有查看完整身份证号和电话的权限"))
    audit.record(actor, audit.Action.UNMASK, member, {"fields": ["id_number", "phone"]})
    return {"id_number": pii.decrypt(member.id_number_enc), "phone": pii.decrypt(member.phone_enc)}
