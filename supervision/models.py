"""The working-day calendar: one row per year, its exceptions, and the history of edits.

Monday to Friday are working days and weekends rest days unless a CalendarDay says
otherwise; only exceptions are stored (a few hundred rows for two decades). Every write
goes through supervision.services.calendar, which bumps CalendarYear.version and writes a
CalendarChange in the same transaction.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from supervision.calendar import DayKind, REST_KINDS, is_weekend


class CalendarYear(models.Model):
    class Source(models.TextChoices):
        LIBRARY = "chinesecalendar", _("chinesecalendar 导入")
        MANUAL = "manual", _("手工录入")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    library_version = models.CharField(_("chinesecalendar 版本"), max_length=20, blank=True)
    notice_number = models.CharField(
        _("国务院办公厅通知文号"), max_length=100, blank=True,
        help_text=_("例如:国办发明电〔2026〕7号"),
    )
    notice_date = models.DateField(_("通知发布日期"), null=True, blank=True)
    is_complete = models.BooleanField(
        _("已完整录入"), default=False,
        help_text=_("全年的节假日和调休上班日都已录入;未完整的年度只用于估算。"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("工作日日历年度")
        verbose_name_plural = _("工作日日历年度")

    def __str__(self):
        return _("%(year)s 年工作日日历") % {"year": self.year}


class CalendarDay(models.Model):
    Kind = DayKind

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True, help_text=_("例如:国庆节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("日历例外日")
        verbose_name_plural = _("日历例外日")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def clean(self):
        errors = day_kind_errors(self.date, self.kind)
        if self.calendar_year_id and self.date.year != self.calendar_year.year:
            errors.append(_("日期不在所属年度内。"))
        if errors:
            raise ValidationError(errors)


def day_kind_errors(date, kind) -> list:
    """Why `kind` makes no exception on `date` (a rest day on a weekend, a working day
    on a weekday): empty when it is a real exception."""
    if kind in REST_KINDS and is_weekend(date):
        return [_("%(date)s 是周末,本来就是休息日,无需录入为休息。") % {"date": date}]
    if kind == DayKind.WORKDAY and not is_weekend(date):
        return [_("%(date)s 是工作日,本来就要上班,无需录入为调休上班。") % {"date": date}]
    return []


class CalendarChange(models.Model):
    """One edit of a year's calendar: who, when, what (the operation record of the calendar)."""

    class Action(models.TextChoices):
        SEEDED = "seeded", _("从 chinesecalendar 导入")
        SYNCED = "synced", _("按 chinesecalendar 更新")
        CREATED = "created", _("新建年度")
        UPDATED = "updated", _("修改年度")
        DAY_SET = "day_set", _("设置例外日")
        DAY_CLEARED = "day_cleared", _("删除例外日")

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="changes"
    )
    version = models.PositiveIntegerField(_("修改后版本"))
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    summary = models.CharField(_("摘要"), max_length=500)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["calendar_year", "version"], name="calendar_change_version_unique"),
        ]
        verbose_name = _("日历修改记录")
        verbose_name_plural = _("日历修改记录")

    def __str__(self):
        return f"{self.calendar_year.year} v{self.version} {self.summary}"
