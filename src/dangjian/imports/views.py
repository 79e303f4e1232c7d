import os
import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core.htmx import render_page
from dangjian.core.scoping import get_scope
from dangjian.imports import exporting, jobs
from dangjian.imports.entities import spec_for
from dangjian.imports.forms import UnmaskedExportForm, UploadForm, max_upload_bytes
from dangjian.imports.models import Entity, ImportJob
from dangjian.imports.tasks import commit_import, validate_import
from dangjian.imports.template import build_template
from dangjian.members.actions import can_unmask

ISSUES_PER_PAGE = 200


def _can_import(user) -> bool:
    return not get_scope(user, for_write=True).empty


def _index_context(request, form):
    return {
        "form": form,
        "can_import": _can_import(request.user),
        "can_unmask": can_unmask(request.user),
        "entities": Entity.choices,
        "formats": exporting.FORMATS,
        "max_mb": max_upload_bytes() // 1024 // 1024,
        "jobs": ImportJob.objects.filter(user=request.user)[:15],
    }


@login_required
@require_GET
def index(request):
    form = UploadForm(initial={"entity": request.GET.get("entity", Entity.MEMBERS)})
    return render(request, "imports/index.html", _index_context(request, form))


@login_required
@require_POST
def upload(request):
    if not _can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/index.html", _index_context(request, form), status=400)
    upload = form.cleaned_data["file"]
    job = ImportJob(entity=form.cleaned_data["entity"], user=request.user, language=get_language() or "",
                    file_name=os.path.basename(upload.name)[:255], file_size=upload.size)
    job.file.save(f"{job.entity}.xlsx", upload, save=False)
    job.save()
    # Same database as the job row (DB task backend): no on_commit needed; the immediate backend runs it now.
    validate_import.enqueue(job.pk)
    return redirect("imports:job", pk=job.pk)


def _own_job(request, pk) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


@login_required
@require_GET
def job_detail(request, pk):
    job = _own_job(request, pk)
    issues = Paginator(job.issues.all(), ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"job": job, "issues": issues, "spec": spec_for(job.entity)}
    return render_page(request, "imports/job.html", context, "imports/_job_status.html")


@login_required
@require_POST
def confirm(request, pk):
    job = _own_job(request, pk)
    if jobs.start_commit(job):
        commit_import.enqueue(job.pk)
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def discard(request, pk):
    jobs.discard(_own_job(request, pk))
    return redirect("imports:index")


@login_required
@require_GET
def template(request, entity):
    response = HttpResponse(build_template(entity), content_type=exporting.CONTENT_TYPES["xlsx"])
    name = f"{spec_for(entity).label}导入模板.xlsx"
    response["Content-Disposition"] = _attachment(name, f"{entity}-template.xlsx")
    return response


def _attachment(name: str, ascii_name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@login_required
@require_GET
def export(request, entity, fmt):
    if entity not in exporting.MODELS:
        raise Http404
    if request.GET.get("unmask") == "1":  # old links: unmasked data only after the confirmation, by POST
        return redirect("imports:export_unmasked")
    return _download(exporting.prepare(entity, fmt, request.user))


@login_required
@require_http_methods(["GET", "POST"])
def export_unmasked(request):
    """Members with full ID numbers and phones: a confirmation page, then a POST that exports and audits."""
    if not can_unmask(request.user):
        raise PermissionDenied(_("您没有查看完整身份证号和电话的权限，只能导出脱敏数据"))
    form = UnmaskedExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _download(exporting.prepare("members", form.cleaned_data["format"], request.user, unmask=True))
    count = exporting.MODELS["members"].objects.scoped(request.user).count()
    return render(request, "imports/export_unmasked.html", {"form": form, "count": count},
                  status=400 if form.errors else 200)


def _download(result):
    disposition = _attachment(result.filename(), result.filename())
    if result.fmt == "xlsx":
        tmp = tempfile.TemporaryFile()
        exporting.write_xlsx(result, tmp)
        tmp.seek(0)
        response = FileResponse(tmp, content_type=exporting.CONTENT_TYPES["xlsx"])
    else:
        chunks = exporting.csv_chunks(result) if result.fmt == "csv" else exporting.json_chunks(result)
        response = StreamingHttpResponse(chunks, content_type=exporting.CONTENT_TYPES[result.fmt])
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "no-store"
    return response
