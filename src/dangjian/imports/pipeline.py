"""validate(): file -> every row checked -> objects + issues.  commit(): all objects or nothing.

Shared by the background job (web page) and the `dangjian import` command. commit() writes
in ONE transaction: bulk inserts in batches, then one audit record; an error or a killed
process before the end leaves the database as it was (the transaction never commits).
"""
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.imports.entities import IMPORTERS
from dangjian.imports.importer import Issue, issues_of
from dangjian.imports.models import Phase
from dangjian.imports.reader import FileProblem, open_sheet

PROGRESS_STEP = 250  # rows between progress calls (the callback throttles further)
CHUNK_ROWS = 2000  # rows checked together by incremental importers (one set of look-up queries)
PARALLEL_MIN_BYTES = 512 * 1024  # smaller files are read in-process (starting a reader costs ~0.5 s)


def max_rows() -> int:
    return getattr(settings, "DANGJIAN_IMPORT_MAX_ROWS", 200_000)


@dataclass
class Outcome:
    entity: str
    total: int
    objects: list
    issues: list[Issue]
    importer: object
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def valid_rows(self) -> int:
        return self.total - len({i.row for i in self.issues})


def _noop(phase, done, total):
    pass


def read_in_child(sheet) -> bool:
    """Overlap reading with checking (a reader process) for big files on a multi-core machine."""
    if not getattr(settings, "DANGJIAN_IMPORT_PARALLEL_READ", True) or not sheet.path:
        return False
    return (os.cpu_count() or 1) > 1 and os.path.getsize(sheet.path) >= PARALLEL_MIN_BYTES


def validate(entity: str, source, actor=None, progress=None) -> Outcome:
    """Read and check every row of the file; raises FileProblem for file-level problems.

    Importers marked ``incremental`` check the rows chunk by chunk while the file is read;
    the others once every row is in (an organisation's parent may be a later row).
    """
    progress = progress or _noop
    importer = IMPORTERS[entity](actor)
    spec = importer.spec
    limit = max_rows()
    rows, objects, pending = [], [], []

    def check(chunk):
        importer.prefetch(chunk)
        for row in chunk:
            objects.append(importer.build(row))
            if len(objects) % PROGRESS_STEP == 0:
                progress(Phase.CHECKING, len(objects), max(estimate or 0, len(rows)))

    with open_sheet(source, spec) as sheet:
        estimate = sheet.estimated_rows
        if sheet.sized and estimate > limit:  # an unsized sheet's estimate only drives the progress bar
            raise FileProblem(_("文件有%(n)d行，超过单次导入上限%(max)d行，请分成几个文件导入") % {"n": estimate, "max": limit})
        warnings = list(sheet.warnings)
        phase = Phase.CHECKING if importer.incremental else Phase.READING
        progress(phase, 0, estimate)
        for number, raw in sheet.rows(in_child=read_in_child(sheet)):
            row = importer.parse(number, raw)
            rows.append(row)
            if len(rows) > limit:
                raise FileProblem(_("文件超过单次导入上限%(max)d行，请分成几个文件导入") % {"max": limit})
            if importer.incremental:
                pending.append(row)
                if len(pending) >= CHUNK_ROWS:
                    check(pending)
                    pending = []
            elif len(rows) % PROGRESS_STEP == 0:
                progress(Phase.READING, len(rows), max(estimate or 0, len(rows)))
    if not rows:
        raise FileProblem(_("文件中没有数据行：请在列名下面逐行填写，每行一条%(entity)s") % {"entity": spec.label})
    total = len(rows)
    if importer.incremental:
        check(pending)
    else:
        progress(Phase.READING, total, total)
        progress(Phase.CHECKING, 0, total)
        check(rows)
    objects = importer.finish(rows, objects)
    progress(Phase.CHECKING, total, total)
    issues = issues_of(spec, rows)
    if not issues:
        warnings += importer.warnings(objects)
    return Outcome(entity, total, objects, issues, importer, warnings)


def commit(outcome: Outcome, actor, file_name: str, *, job=None, progress=None) -> int:
    """Write every object of a clean outcome in one transaction, with one audit record."""
    if not outcome.ok:
        raise ValueError("refusing to commit an outcome with errors")
    spec = outcome.importer.spec
    written = progress and (lambda done, total: progress(Phase.WRITING, done, total))
    with transaction.atomic():
        count = outcome.importer.commit(outcome.objects, written)
        audit.record(
            actor, audit.Action.IMPORT, None,
            {"entity": outcome.entity, "file": file_name, "rows": outcome.total, "created": count,
             "job": job.pk if job else None},
            object_type=spec.model_label, object_id=job.pk if job else "",
        )
        if job is not None:
            from django.utils import timezone

            from dangjian.imports.models import ImportJob, JobStatus

            ImportJob.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE, phase="", created_count=count, finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
    return count
