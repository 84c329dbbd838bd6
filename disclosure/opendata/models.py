"""The bulk files of the open data: one Dataset per publication and one per province,
each with its distributions (CSV, XLSX, JSON and the SHA-256 checksums file), written
through Django's storage API (local disk or an S3-compatible store, docs/scale.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dataset(models.Model):
    """A downloadable dataset. Rebuilt (same row, new files) whenever its source changes:
    a publication's dataset once after the publication, the province's after each
    publication in it."""

    class Scope(models.TextChoices):
        PUBLICATION = "publication", _("部门公开批次")
        PROVINCE = "province", _("全省")

    class State(models.TextChoices):
        PENDING = "pending", _("生成中")
        READY = "ready", _("可下载")
        FAILED = "failed", _("生成失败")

    scope = models.CharField(_("范围"), max_length=12, choices=Scope.choices)
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    publication = models.OneToOneField("disclosure.Publication", verbose_name=_("公开批次"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="dataset")
    identifier = models.CharField(_("数据集标识"), max_length=100, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    # The newest publication the files reflect (the province's dataset is skipped when
    # nothing newer was published since it was built).
    as_of_publication_id = models.BigIntegerField(_("所含最新公开批次"), null=True, blank=True)
    power_count = models.PositiveIntegerField(_("事项数"), default=0)
    issued = models.DateTimeField(_("首次发布时间"), null=True, blank=True)
    modified = models.DateTimeField(_("更新时间"), null=True, blank=True)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("开放数据集")
        verbose_name_plural = _("开放数据集")
        ordering = ["scope", "region__code", "-publication_id"]
        constraints = [
            models.UniqueConstraint(fields=["region"], condition=models.Q(scope="province"),
                                    name="dataset_one_per_province"),
        ]

    def __str__(self):
        return self.title


class DatasetFile(models.Model):
    """One distribution of a dataset: a file in storage with its size and SHA-256."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"
        CHECKSUMS = "sha256", _("SHA-256 校验文件")

    MEDIA_TYPES = {
        "csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json": "application/json",
        "sha256": "text/plain",
    }

    dataset = models.ForeignKey(Dataset, verbose_name=_("数据集"), on_delete=models.CASCADE, related_name="files")
    format = models.CharField(_("格式"), max_length=8, choices=Format.choices)
    file = models.FileField(_("文件"), upload_to="opendata/%Y/%m/", max_length=300)
    filename = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("字节数"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("数据集文件")
        verbose_name_plural = _("数据集文件")
        ordering = ["dataset_id", "format"]
        constraints = [models.UniqueConstraint(fields=["dataset", "format"], name="dataset_file_one_per_format")]

    def __str__(self):
        return self.filename

    @property
    def media_type(self):
        return self.MEDIA_TYPES[self.format]
