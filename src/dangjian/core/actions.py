"""Helpers shared by every app's actions: validate fully, check scope, write once, audit."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangjian.core import audit


def ensure_in_scope(actor, obj, field: str) -> None:
    """A write may only point at objects the actor may write to (None actor = system/CLI)."""
    if actor is None or obj is None:
        return
    model = type(obj)
    if not model.objects.scoped(actor, for_write=True).filter(pk=obj.pk).exists():
        raise ValidationError({field: _("“%(obj)s”不在您的管理范围内") % {"obj": obj}})


def apply_fields(instance, data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({"__all__": _("不可修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))}})
    for name, value in data.items():
        setattr(instance, name, value)


def save_with_audit(actor, instance, before: dict | None = None, exclude=None):
    """full_clean + save + audit record; call inside transaction.atomic()."""
    instance.full_clean(exclude=exclude)
    creating = instance.pk is None
    instance.save()
    after = audit.snapshot(instance)
    if creating:
        audit.record(actor, audit.Action.CREATE, instance, after)
    else:
        changes = audit.diff(before or {}, after)
        if changes:
            audit.record(actor, audit.Action.UPDATE, instance, changes)
    return instance
