from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.actions import apply_fields, ensure_in_scope, save_with_audit
from dangjian.core.validators import validate_division_code
from dangjian.regions.models import Region

FIELDS = {"name", "kind", "code", "code_year", "lng", "lat"}


def _clean_code(region: Region) -> None:
    if region.code:
        try:
            region.code = validate_division_code(region.code)
        except ValidationError as exc:
            raise ValidationError({"code": exc.messages}) from None
        if not region.code_year:
            raise ValidationError({"code_year": _("填写区划代码时须注明代码所属年份")})


def clean_new_region(actor, region: Region, parent: Region | None) -> None:
    """The rules for a region about to be added under ``parent`` (None: top level), shared with the import."""
    if parent is None and actor is not None and not actor.is_superuser:
        raise ValidationError({"parent": _("只有系统管理员可以新增顶级区域")})
    _clean_code(region)


@transaction.atomic
def create_region(actor, parent: Region | None, **data) -> Region:
    ensure_in_scope(actor, parent, "parent")
    region = Region(**{k: v for k, v in data.items() if k in FIELDS})
    apply_fields(region, data, FIELDS)
    clean_new_region(actor, region, parent)
    region.full_clean(exclude=["path", "depth", "numchild"])
    region = Region.objects.add_child(parent, instance=region) if parent else Region.objects.add_root(instance=region)
    audit.record(actor, audit.Action.CREATE, region, audit.snapshot(region))
    return region


@transaction.atomic
def update_region(actor, region: Region, **data) -> Region:
    before = audit.snapshot(region)
    apply_fields(region, data, FIELDS)
    _clean_code(region)
    return save_with_audit(actor, region, before)
