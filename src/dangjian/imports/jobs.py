"""The web import as a background job: validate (preview), then on confirmation revalidate and commit.

Progress goes to the ImportJob row (autocommitted, so the page's polling sees it) at most a
few times a second. The uploaded file holds personal data: it is deleted as soon as the job
can no longer be committed (errors found, committed, discarded or failed).
"""
import logging
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.imports import pipeline
from dangjian.imports.models import ImportIssue, ImportJob, JobStatus
from dangjian.imports.reader import FileProblem

logger = logging.getLogger(__name__)
ISSUE_BATCH = 2000


class JobProgress:
    def __init__(self, job: ImportJob, interval: float = 0.5):
        self.job_id = job.pk
        self.interval = interval
        self._last = 0.0
        self._phase = None

    def __call__(self, phase, done: int, total: int | None) -> None:
        now = time.monotonic()
        if phase == self._phase and now - self._last < self.interval and done != total:
            return
        self._phase, self._last = phase, now
        ImportJob.objects.filter(pk=self.job_id).update(
            phase=phase, done_rows=done, total_rows=total, updated_at=timezone.now()
        )


def _finish(job: ImportJob, status: str, *, problem: str = "", keep_file: bool = False, **fields) -> None:
    if not keep_file and job.file:
        job.file.delete(save=False)
    fields.update(status=status, problem=problem, phase="", finished_at=timezone.now(), updated_at=timezone.now())
    if not keep_file:
        fields["file"] = ""
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _save_issues(job: ImportJob, issues) -> None:
    ImportIssue.objects.filter(job=job).delete()
    ImportIssue.objects.bulk_create(
        (ImportIssue(job=job, row=i.row, column=i.column[:100], message=i.message) for i in issues),
        batch_size=ISSUE_BATCH,
    )


def _validate(job: ImportJob):
    """Outcome, or None after marking the job failed (file problem, lost user, crash)."""
    if job.user_id is None or not job.user.is_active:
        _finish(job, JobStatus.FAILED, problem=_("导入人的账号已不存在或已停用，任务取消"))
        return None
    try:
        try:
            path = job.file.path  # a local file: big ones can be read by a separate process
        except NotImplementedError:
            path = None
        if path:
            return pipeline.validate(job.entity, path, job.user, JobProgress(job))
        with job.file.open("rb") as fh:
            return pipeline.validate(job.entity, fh, job.user, JobProgress(job))
    except FileProblem as exc:
        _finish(job, JobStatus.FAILED, problem=str(exc))
    except Exception:  # a bug or an unreadable file: say so on the page, keep the details in the log
        logger.exception("import job %s failed while validating", job.pk)
        _finish(job, JobStatus.FAILED, problem=_("处理文件时发生内部错误，未导入任何数据。请联系系统管理员。"))
    return None


def run_validation(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != JobStatus.PENDING:
        return
    with translation.override(job.language or settings.LANGUAGE_CODE):
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.VALIDATING, updated_at=timezone.now())
        outcome = _validate(job)
        if outcome is None:
            return
        _save_issues(job, outcome.issues)
        counts = dict(total_rows=outcome.total, done_rows=outcome.total, valid_rows=outcome.valid_rows,
                      error_count=len(outcome.issues), warnings=outcome.warnings)
        if outcome.ok:
            _finish(job, JobStatus.READY, keep_file=True, **counts)
        else:
            _finish(job, JobStatus.INVALID, **counts)


def start_commit(job: ImportJob) -> bool:
    """READY -> COMMITTING exactly once (a double click does not import twice)."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=JobStatus.READY).update(
            status=JobStatus.COMMITTING, phase="", done_rows=0, updated_at=timezone.now()
        )
    )


def run_commit(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != JobStatus.COMMITTING:
        return
    with translation.override(job.language or settings.LANGUAGE_CODE):
        outcome = _validate(job)  # the database may have changed since the preview
        if outcome is None:
            return
        if not outcome.ok:
            _save_issues(job, outcome.issues)
            _finish(job, JobStatus.INVALID, problem=_("预览之后数据发生了变化，重新校验发现以下错误，未导入任何数据。"),
                    valid_rows=outcome.valid_rows, error_count=len(outcome.issues))
            return
        try:
            pipeline.commit(outcome, job.user, job.file_name, job=job, progress=JobProgress(job))
        except IntegrityError:
            logger.warning("import job %s: conflict while writing, rolled back", job.pk, exc_info=True)
            _finish(job, JobStatus.FAILED, problem=_("写入时与其他人同时进行的修改发生冲突，未导入任何数据，请重新上传。"))
            return
        except Exception:
            logger.exception("import job %s failed while writing", job.pk)
            _finish(job, JobStatus.FAILED, problem=_("写入数据库时发生内部错误，未导入任何数据。请联系系统管理员。"))
            return
        job.refresh_from_db()
        _finish(job, JobStatus.DONE, created_count=job.created_count)


def discard(job: ImportJob) -> bool:
    if job.status not in (JobStatus.READY, JobStatus.INVALID, JobStatus.FAILED) and not job.stalled:
        return False
    with transaction.atomic():
        _finish(job, JobStatus.DISCARDED, problem=job.problem)
    return True
