"""Uploaded files for every app: type (by extension) and size limits from the rule set, then stored on a
model's file field under the file's own name."""
import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangjian.core.rules import rule

PHOTO_TYPES = {"jpg", "jpeg", "png"}


def check_upload(upload, field: str, types: set[str] | None = None) -> str:
    """Type (by extension) and size limits from the rule set; returns the extension."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = set(rule("orglife.allowed_file_types")) if types is None else types & set(rule("orglife.allowed_file_types"))
    if ext not in allowed:
        raise ValidationError({field: _("不支持的文件类型“%(ext)s”：只能上传 %(types)s 文件") % {
            "ext": ext or _("无扩展名"), "types": "、".join(sorted(allowed))}})
    limit = int(rule("orglife.max_file_mb"))
    if upload.size > limit * 1024 * 1024:
        raise ValidationError({field: _("文件过大（%(size).1f MB）：不能超过 %(limit)d MB") % {
            "size": upload.size / 1024 / 1024, "limit": limit}})
    return ext


def attach(instance, field: str, upload, types: set[str] | None = None) -> None:
    """Check ``upload`` and put it on ``instance.<field>`` (saved with the instance, not here)."""
    check_upload(upload, field, types)
    getattr(instance, field).save(os.path.basename(upload.name), upload, save=False)
