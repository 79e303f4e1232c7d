"""Is a login the same person as a member record? Through the member linked to the login (a role bound to a
member), or through the login's staff profile: the same citizen ID, or the same name and phone. Matching uses
the keyed hashes only; no plain ID or phone is read."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.validators import validate_citizen_id, validate_phone


def same_person(user, member) -> bool:
    from dangjian.accounts.models import RoleAssignment, StaffProfile

    if user is None or member is None:
        return False
    if RoleAssignment.objects.filter(user=user, member=member).exists():
        return True
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is None:
        return False
    if profile.id_number_hash and profile.id_number_hash == member.id_number_hash:
        return True
    return bool(profile.name and profile.phone_hash and profile.name == member.name
                and profile.phone_hash == member.phone_hash)


def clean_identity(name: str, id_number: str = "", phone: str = "") -> tuple[str, str, str]:
    """(name, normalised ID, normalised phone) or every error at once, per field."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("请填写姓名")]
    number = tel = ""
    if (id_number or "").strip():
        try:
            number = validate_citizen_id(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if (phone or "").strip():
        try:
            tel = validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return name, number, tel


@transaction.atomic
def set_staff_identity(actor, user, name: str, id_number: str = "", phone: str = ""):
    """Record who ``user`` is in person. Blank ID or phone leave the stored value unchanged."""
    from dangjian.accounts.models import StaffProfile

    name, number, tel = clean_identity(name, id_number, phone)
    profile = StaffProfile.objects.filter(user=user).first() or StaffProfile(user=user)
    creating = profile.pk is None
    profile.name = name
    if number:
        profile.set_id_number(number)
    if tel:
        profile.set_phone(tel)
    profile.save()
    # The log says which protected fields changed, never their values.
    audit.record(actor, audit.Action.CREATE if creating else audit.Action.UPDATE, profile,
                 {"name": name, "changed_protected_fields": [f for f, v in (("id_number", number), ("phone", tel)) if v]})
    return profile
