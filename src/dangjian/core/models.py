from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """Who did what to which record, and what changed. Written only by core.audit."""

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        UNMASK = "unmask", _("查看敏感信息")
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")
        LOOKUP = "lookup", _("按身份证号码查询")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}#{self.object_id}"


class ChangeStamp(models.Model):
    """One row per stamped table; database triggers renew ``version`` on every write (see core.stamps)."""

    table_name = models.CharField(max_length=63, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("变更标记")
        verbose_name_plural = _("变更标记")

    def __str__(self):
        return f"{self.table_name}@{self.version}"


class Notification(models.Model):
    """A message to one user, shown in the page (bell) and mailed when e-mail is configured (core.notify).

    ``key`` makes repeated reminders idempotent: one notification per user and key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="notifications")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    key = models.CharField(_("去重键"), max_length=120, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""),
                                               name="notification_once_per_key")]

    def __str__(self):
        return self.text


class ThrottleHit(models.Model):
    """One counted use of a rate-limited look-up (core.throttle): a database table, so every server
    process sees the same counts. ``subject`` is a keyed hash (never a plain identifier); rows older than
    the window are deleted as new ones come in."""

    name = models.CharField(max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("查询限额记录")
        verbose_name_plural = _("查询限额记录")
        indexes = [models.Index(fields=["name", "user", "at"]), models.Index(fields=["name", "at"])]

    def __str__(self):
        return f"{self.name} {self.user_id} {self.at:%Y-%m-%d %H:%M}"
