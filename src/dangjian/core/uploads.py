"""Uploaded files for every app: type and size limits from the rule set, the type checked by the file's bytes
(not only its name), then stored on a model's file field under the file's own name."""
import os
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangjian.core.rules import rule

PHOTO_TYPES = {"jpg", "jpeg", "png"}

# Leading bytes of programs: refused whatever the name says (``evil.exe.pdf``).
EXECUTABLES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Word/Excel (compound document)
# An OOXML package names its main part's type in [Content_Types].xml.
OOXML = {"docx": b"wordprocessingml.document.main", "xlsx": b"spreadsheetml.sheet.main"}
CONTENT_TYPES_LIMIT = 1024 * 1024  # [Content_Types].xml is a few KB; more is not an Office file (or a zip bomb)


def _ooxml(upload, ext: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as package:
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_LIMIT:
                return False
            with package.open(info) as part:
                return OOXML[ext] in part.read(CONTENT_TYPES_LIMIT)
    # A damaged or hostile archive is simply not an Office file: not a zip, no [Content_Types].xml (KeyError),
    # truncated (EOFError/OSError), an unsupported compression method (NotImplementedError) or an encrypted
    # entry (RuntimeError) — zipfile's own ways of saying so.
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError, RuntimeError):
        return False


# What the first bytes of each allowed type look like; a type missing here is refused (add it with its check).
SIGNATURES = {
    "pdf": lambda head, upload: head.startswith(b"%PDF-"),
    "png": lambda head, upload: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda head, upload: head.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda head, upload: head.startswith(b"\xff\xd8\xff"),
    "doc": lambda head, upload: head.startswith(OLE),
    "xls": lambda head, upload: head.startswith(OLE),
    "docx": lambda head, upload: head.startswith(b"PK\x03\x04") and _ooxml(upload, "docx"),
    "xlsx": lambda head, upload: head.startswith(b"PK\x03\x04") and _ooxml(upload, "xlsx"),
    "mp4": lambda head, upload: head[4:8] == b"ftyp",
}


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def check_content(upload, field: str, ext: str) -> None:
    """The bytes must be what the extension says; a program is refused under any name."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    head = _head(upload)
    if head.startswith(EXECUTABLES):
        raise ValidationError({field: _("文件“%(name)s”是可执行程序，不能上传") % {"name": name}})
    check = SIGNATURES.get(ext)
    if check is None:  # a local rule set allowed a type this table cannot vouch for
        raise ValidationError({field: _("无法核对“%(ext)s”文件的内容，暂不能上传这种文件") % {"ext": ext}})
    matches = check(head, upload)
    upload.seek(0)
    if not matches:
        raise ValidationError({field: _("文件“%(name)s”的内容不是 %(ext)s 文件：请上传真实的 %(ext)s 文件，"
                                        "不要只修改扩展名") % {"name": name, "ext": ext.upper()}})


def check_upload(upload, field: str, types: set[str] | None = None) -> str:
    """Type (by extension, then by content) and size limits from the rule set; returns the extension."""
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
    check_content(upload, field, ext)
    return ext


def attach(instance, field: str, upload, types: set[str] | None = None) -> None:
    """Check ``upload`` and put it on ``instance.<field>`` (saved with the instance, not here)."""
    check_upload(upload, field, types)
    getattr(instance, field).save(os.path.basename(upload.name), upload, save=False)
