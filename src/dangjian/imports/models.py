import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Entity(models.TextChoices):
    REGIONS = "regions", _("区域")
    UNITS = "units", _("单位")
    ORGANIZATIONS = "organizations", _("党组织")
    MEMBERS = "members", _("党员")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    VALIDATING = "validating", _("正在校验")
    READY = "ready", _("校验通过，待确认")
    INVALID = "invalid", _("有错误，未导入")
    COMMITTING = "committing", _("正在导入")
    DONE = "done", _("已导入")
    FAILED = "failed", _("处理失败")
    DISCARDED = "discarded", _("已放弃")


class Phase(models.TextChoices):
    READING = "reading", _("读取文件")
    CHECKING = "checking", _("校验数据")
    WRITING = "writing", _("写入数据库")


STALL_AFTER = dt.timedelta(minutes=10)
RUNNING = {JobStatus.PENDING, JobStatus.VALIDATING, JobStatus.COMMITTING}


class ImportJob(models.Model):
    """One uploaded file: validated in the background, previewed, then committed in one transaction."""

    entity = models.CharField(_("数据类型"), max_length=16, choices=Entity.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_size = models.PositiveIntegerField(_("文件大小"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    phase = models.CharField(_("阶段"), max_length=16, choices=Phase.choices, blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    done_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("有效行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    created_count = models.PositiveIntegerField(_("已导入条数"), default=0)
    language = models.CharField(_("语言"), max_length=16, blank=True)
    problem = models.TextField(_("问题"), blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_entity_display()} {self.file_name}"

    @property
    def running(self) -> bool:
        return self.status in RUNNING and not self.stalled

    @property
    def stalled(self) -> bool:
        """Waiting or working without any progress for a long time: no task worker, or it died."""
        return self.status in RUNNING and self.updated_at is not None and timezone.now() - self.updated_at > STALL_AFTER

    @property
    def percent(self) -> int:
        """Progress bar: for importers that read and check in one pass, the share of rows checked;
        otherwise reading the file is the first 40% and checking the rows the rest."""
        if self.phase == Phase.WRITING or self.status in (JobStatus.READY, JobStatus.INVALID, JobStatus.DONE):
            return 100
        if not self.total_rows:
            return 0
        from dangjian.imports.entities import IMPORTERS

        share = min(1.0, self.done_rows / self.total_rows)
        if IMPORTERS[self.entity].incremental:
            return round(100 * share)
        return round(40 * share) if self.phase == Phase.READING else 40 + round(60 * share)


class ImportIssue(models.Model):
    """One error found in a file: where (row, column header) and what."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("行"), null=True, blank=True)
    column = models.CharField(_("列"), max_length=100, blank=True)
    message = models.TextField(_("错误"))

    class Meta:
        verbose_name = _("导入错误")
        verbose_name_plural = _("导入错误")
        ordering = ["job", "row", "id"]
