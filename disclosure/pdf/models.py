"""The PDF files of a publication: the department's directory and one file per newly
published power version, rendered by Celery (disclosure.tasks) and kept through Django's
storage API, so web and worker nodes need not share a disk."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationFile(models.Model):
    """One PDF of a publication, with its rendering state.

    `claim` names the attempt that owns the rendering: the reaper hands a file whose
    heartbeat went stale to a new attempt, and the old one (should it ever wake up)
    can no longer store its result."""

    class Kind(models.TextChoices):
        DIRECTORY = "directory", _("公开目录")
        POWER = "power", _("单项事项")

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RENDERING = "rendering", _("生成中")
        RETRYING = "retrying", _("失败,重试中")
        READY = "ready", _("已生成")
        FAILED = "failed", _("失败")

    publication = models.ForeignKey("disclosure.Publication", verbose_name=_("公开批次"), on_delete=models.CASCADE,
                                    related_name="files")
    published_power = models.ForeignKey("disclosure.PublishedPower", verbose_name=_("公开事项"), null=True,
                                         blank=True, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("文件类型"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    claim = models.CharField(_("当前尝试"), max_length=32, blank=True)
    queued_at = models.DateTimeField(_("排队时间"))
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    message = models.TextField(_("说明"), blank=True)
    job = models.ForeignKey("powerlist.Job", verbose_name=_("后台任务"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(_("文件"), upload_to="disclosure/pdf/", max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小(字节)"), default=0)
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        app_label = "disclosure"
        verbose_name = _("公开文件")
        verbose_name_plural = _("公开文件")
        ordering = ["publication_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication"], condition=models.Q(kind="directory"),
                                    name="publication_file_one_directory"),
            models.UniqueConstraint(fields=["published_power"], condition=models.Q(kind="power"),
                                    name="publication_file_one_per_power_row"),
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="publication_file_reap_idx")]

    def __str__(self):
        return f"{self.publication} {self.get_kind_display()} {self.get_state_display()}"

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY
