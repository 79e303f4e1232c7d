"""The audit trail: every write and every unmasking goes through record()."""
from django.db import models

from dangjian.core.models import AuditLog

Action = AuditLog.Action
# Never copy these into the log: the log must not become a second copy of the PII.
SECRET_FIELDS = {"id_number_enc", "id_number_hash", "phone_enc", "phone_hash", "password"}


def snapshot(obj: models.Model) -> dict:
    """Plain values of the concrete fields, for diffing before/after a change."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.attname in SECRET_FIELDS:
            continue
        value = getattr(obj, field.attname)
        data[field.attname] = value if isinstance(value, (int, float, bool, type(None))) else str(value)
    return data


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(actor, action: str, obj=None, changes: dict | None = None, *, object_type: str = "", object_id="") -> AuditLog:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
    )
