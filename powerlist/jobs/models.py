"""Background jobs (imports, exports, PDFs): what the user sees while Celery works."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("任务类型"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.CASCADE, related_name="jobs"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    progress = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.TextField(_("说明"), blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    input_file = models.FileField(_("上传文件"), upload_to="jobs/input/%Y/%m/", blank=True)
    output_file = models.FileField(_("结果文件"), upload_to="jobs/output/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.get_state_display()}"

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)
