"""Publications: immutable snapshots of what a department disclosed, and the region's
disclosure settings."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DisclosureSettings(models.Model):
    """A region's disclosure choices (kept here: Region belongs to powerlist)."""

    region = models.OneToOneField("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.CASCADE,
                                  related_name="disclosure_settings")
    auto_publish = models.BooleanField(
        _("确认后自动公开"), default=False,
        help_text=_("开启后,事项或其流程图经最终确认,即自动为其部门生成一次新的公开。"),
    )

    class Meta:
        verbose_name = _("公开设置")
        verbose_name_plural = _("公开设置")

    def __str__(self):
        return str(self.region)


class Publication(models.Model):
    """One publication of a department: every power in force at that moment, frozen.

    Rows are written once by disclosure.services.publication_create and never changed,
    except that publishing a newer one marks the older one superseded."""

    class State(models.TextChoices):
        CURRENT = "current", _("现行")
        SUPERSEDED = "superseded", _("已被新版替代")

    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="publications")
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="publications")
    number = models.PositiveIntegerField(_("公开批次号"))
    published_at = models.DateTimeField(_("公开时间"))
    publisher = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("变更说明"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.CURRENT)
    # Counts of the change against the previous publication, for the change log.
    added_count = models.PositiveIntegerField(_("新增事项数"), default=0)
    changed_count = models.PositiveIntegerField(_("变更事项数"), default=0)
    cancelled_count = models.PositiveIntegerField(_("取消事项数"), default=0)
    power_count = models.PositiveIntegerField(_("公开事项数"), default=0)

    class Meta:
        verbose_name = _("公开批次")
        verbose_name_plural = _("公开批次")
        ordering = ["department_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["department", "number"], name="publication_unique_number"),
        ]
        indexes = [models.Index(fields=["region", "-published_at"], name="publication_region_time_idx")]

    def __str__(self):
        return f"{self.department} 第{self.number}批"


class PublishedPower(models.Model):
    """A power as one publication disclosed it: the public snapshot (`data`) of its
    revision in force, never of the working copy.

    `version` numbers the distinct published contents of the power (1, 2 …): a
    publication that leaves a power unchanged repeats its version. `is_current` marks
    the rows of each department's current publication (what search and browsing show)."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("实施中")
        CANCELLED = "cancelled", _("已取消")

    publication = models.ForeignKey(Publication, verbose_name=_("公开批次"), on_delete=models.CASCADE,
                                    related_name="powers")
    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), on_delete=models.PROTECT,
                              related_name="publications")
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    category = models.ForeignKey("powerlist.Category", verbose_name=_("职权类别"), on_delete=models.PROTECT,
                                 related_name="+")
    level = models.CharField(_("层级"), max_length=10)
    code = models.CharField(_("事项编码"), max_length=50)
    name = models.CharField(_("事项名称"), max_length=200)
    parent_code = models.CharField(_("主项编码"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.IN_FORCE)
    version = models.PositiveIntegerField(_("公开版本号"))
    is_current = models.BooleanField(_("现行公开"), default=True)
    data = models.JSONField(_("公开内容"))
    digest = models.CharField(_("内容摘要"), max_length=64)
    # Plain text for highlighting and SQLite's LIKE; matching uses PublicSearchEntry.
    search_text = models.TextField(_("检索文本"), blank=True)

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["publication_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "power"], name="published_power_once"),
        ]
        indexes = [
            models.Index(fields=["region", "code", "version"], name="published_power_url_idx"),
            models.Index(fields=["is_current", "department", "category"], name="published_power_browse_idx"),
            models.Index(fields=["power", "publication"], name="published_power_history_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name} v{self.version}"

    def get_absolute_url(self):
        """The current alias; needs `region` loaded (selectors select it)."""
        return reverse("disclosure:power", args=[self.region.code, self.code])

    def get_version_url(self):
        return reverse("disclosure:power_version", args=[self.region.code, self.code, self.version])


from disclosure.search_models import PublicSearchEntry  # noqa: E402,F401  (the search table)
# The PDF files live in disclosure.pdf; imported here so Django registers the model.
from disclosure.pdf.models import PublicationFile  # noqa: E402,F401

# The register's models live in their own module (disclosure/register.py).
from disclosure.register import AdjustmentItem, AdjustmentNote, NonDisclosure, Retraction  # noqa: E402,F401
