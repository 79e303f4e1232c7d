import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.actions import apply_fields, ensure_in_scope, save_with_audit
from dangjian.core.validators import validate_credit_code
from dangjian.units.industry import section_of
from dangjian.units.models import Unit

FIELDS = {
    "name", "credit_code", "kind", "industry_section", "industry_division", "employees", "above_size",
    "region", "address", "lng", "lat", "status", "founded",
}


def clean_unit(unit: Unit, *, taken=None) -> None:
    """Business rules beyond field types; raises ValidationError keyed by field.

    ``taken``: for batch callers (imports), a mapping of credit code -> unit name of codes already
    in the database, fetched once for the whole batch instead of one query per unit.
    """
    errors = {}
    unit.name = (unit.name or "").strip()
    if unit.credit_code:
        try:
            unit.credit_code = validate_credit_code(unit.credit_code)
        except ValidationError as exc:
            errors["credit_code"] = exc.messages
        else:
            if taken is None:
                dup = Unit.objects.filter(credit_code=unit.credit_code).exclude(pk=unit.pk).first()
                dup_name = dup.name if dup else None
            else:
                dup_name = taken.get(unit.credit_code)
            if dup_name is not None:
                errors["credit_code"] = [_("该统一社会信用代码已被“%(name)s”使用") % {"name": dup_name}]
    if unit.industry_division:
        section = section_of(unit.industry_division)
        if section is None:
            errors["industry_division"] = [_("行业大类代码“%(d)s”不存在") % {"d": unit.industry_division}]
        elif unit.industry_section and section != unit.industry_section:
            errors["industry_division"] = [
                _("行业大类%(d)s属于门类%(s)s，与所选门类不符") % {"d": unit.industry_division, "s": section}
            ]
    if unit.founded and unit.founded > dt.date.today():
        errors["founded"] = [_("成立日期不能晚于今天")]
    # A place is a pair: distances (pairing, joint branches, the map) need both or neither, each on the globe.
    if (unit.lng is None) != (unit.lat is None):
        errors["lat" if unit.lat is None else "lng"] = [_("经度和纬度须同时填写或同时留空")]
    if unit.lng is not None and not -180 <= unit.lng <= 180:
        errors["lng"] = [_("经度应在 -180 到 180 之间")]
    if unit.lat is not None and not -90 <= unit.lat <= 90:
        errors["lat"] = [_("纬度应在 -90 到 90 之间")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_unit(actor, **data) -> Unit:
    unit = Unit()
    apply_fields(unit, data, FIELDS)
    ensure_in_scope(actor, getattr(unit, "region", None) if unit.region_id else None, "region")
    clean_unit(unit)
    return save_with_audit(actor, unit)


@transaction.atomic
def update_unit(actor, unit: Unit, **data) -> Unit:
    before = audit.snapshot(unit)
    apply_fields(unit, data, FIELDS)
    if "region" in data:
        ensure_in_scope(actor, unit.region, "region")
    clean_unit(unit)
    return save_with_audit(actor, unit, before)
