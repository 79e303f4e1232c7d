"""Uploaded files served through one scoped view, never from ``/media/``.

Each app registers its file kinds (``register("meeting-file", "file", fetch)``) from its AppConfig.ready();
``fetch(user, pk)`` returns the owning object through the app's scoped queryset and raises Http404 outside the
user's scope, so a file is reachable exactly when its page is. The view then streams the file, or, behind nginx
(``DANGJIAN_X_ACCEL=1``), answers ``X-Accel-Redirect`` and lets nginx send it from an ``internal`` location.
"""
import os
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.utils import validate_file_name
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

# Served types by extension: a browser is never told a stored file is HTML or script. Only these open inline
# (images and video shown on the page, PDFs in the viewer); everything else downloads.
CONTENT_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "mp4": "video/mp4",
    "doc": "application/msword", "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
}
INLINE = {"pdf", "png", "jpg", "jpeg", "mp4"}
X_ACCEL_PREFIX = "/protected-media/"


@dataclass(frozen=True)
class FileKind:
    field: str  # the FileField on the owning object
    fetch: Callable  # (user, pk) -> the owning object, Http404 outside the user's scope
    filename: Callable | None = None  # (obj) -> the name to download as; default: the stored file's name


KINDS: dict[str, FileKind] = {}


def register(kind: str, field: str, fetch: Callable, filename: Callable | None = None) -> None:
    KINDS[kind] = FileKind(field, fetch, filename)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@login_required
@require_safe
def download(request, kind: str, pk: int):
    entry = KINDS.get(kind)
    if entry is None:
        raise Http404
    obj = entry.fetch(request.user, pk)
    stored = getattr(obj, entry.field)
    if not stored:
        raise Http404
    try:  # a stored name is ours, but never let one step outside the media root
        validate_file_name(stored.name, allow_relative_path=True)
    except SuspiciousFileOperation:
        raise Http404 from None
    name = (entry.filename(obj) if entry.filename else "") or os.path.basename(stored.name)
    return respond(stored, name)


def respond(stored, name: str) -> HttpResponse:
    ext = _extension(name) or _extension(stored.name)
    content_type = CONTENT_TYPES.get(ext, "application/octet-stream")
    inline = ext in INLINE
    if settings.DANGJIAN_X_ACCEL:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = X_ACCEL_PREFIX + quote(stored.name)
    else:
        try:
            handle = stored.storage.open(stored.name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"  # behind a login: no shared cache keeps a copy
    return response
