"""The working-day calendar, and the e-supervision of cases (docs/supervision.md).

Calendar: one row per year, its exceptions, and the history of edits. Monday to Friday
are working days and weekends rest days unless a CalendarDay says otherwise; only
exceptions are stored (a few hundred rows for two decades). Every write goes through
supervision.services.calendar, which bumps CalendarYear.version and writes a
CalendarChange in the same transaction.

Cases: CaseSystem, Case, CaseEvent (with its idempotency key CaseEventKey), Suspension and
Alert (below).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powerlist.review.models import FlowItem
from supervision.alert_flow import ALERT_FLOW, AlertState
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


# --- E-supervision of cases (电子监察) ------------------------------------------------
# A case (办件) is one application handled under a confirmed power; the approval systems of
# departments push its events (supervision.services.intake), from which the case's state,
# suspensions and due dates are derived (supervision.services.cases), and the alert rules
# run (supervision.services.alerts). Alerts travel ALERT_FLOW through the flow engine.


class CaseSystem(models.Model):
    """A department's approval system (审批系统) that pushes case events.

    It signs in to the API as its service user with a DRF token; the service user
    belongs to the department, so the system's scope is that department and nothing else."""

    department = models.ForeignKey(
        "powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="case_systems"
    )
    code = models.CharField(_("系统编码"), max_length=50, unique=True)
    name = models.CharField(_("系统名称"), max_length=100)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("接口账号"), on_delete=models.PROTECT, related_name="case_system"
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审批系统")
        verbose_name_plural = _("审批系统")
        ordering = ["department_id", "code"]

    def __str__(self):
        return self.name


class CaseState(models.TextChoices):
    RECEIVED = "received", _("已收件")
    ACCEPTED = "accepted", _("办理中")
    SUSPENDED = "suspended", _("中止(等待申请人或特别程序)")
    REFUSED = "refused", _("不予受理")
    DECIDED = "decided", _("已作出决定")
    DELIVERED = "delivered", _("已送达")


# The clock runs (or stands still, while suspended) in these states.
OPEN_CASE_STATES = (CaseState.RECEIVED, CaseState.ACCEPTED, CaseState.SUSPENDED)


class Case(models.Model):
    """One application (办件), pinned to the power's confirmed revision in force at receipt
    and to the flowchart revision its steps are checked against.

    The applicant's personal data live in the applicant_* fields and are shown only to
    the handling department (supervision.permissions.can_see_applicant); everyone else
    sees `applicant_masked`. The due dates (and the scan's CaseSchedule) are derived from
    the events by supervision.services.cases and never edited by hand."""

    class Source(models.TextChoices):
        SYSTEM = "system", _("审批系统推送")
        MANUAL = "manual", _("手工录入")

    # No index of their own on the foreign keys (db_index=False): region, department and
    # power lead the composite indexes below, and the others (the system, the revisions
    # and the publication the case is pinned to) serve no read; each index costs every
    # case insert and every intake UPDATE that moves the row. Deleting a system, a
    # revision or a publication (never done: they are history) would scan the cases.
    system = models.ForeignKey(CaseSystem, verbose_name=_("审批系统"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cases", db_index=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+", db_index=False)
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="cases", db_index=False)
    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), on_delete=models.PROTECT,
                              related_name="cases", db_index=False)
    power_revision = models.ForeignKey("powerlist.PowerRevision", verbose_name=_("办理时的事项版本"),
                                       null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    # The version the public saw when the case was received (disclosure's current
    # publication of the power); empty when the power was not published then.
    published_power = models.ForeignKey("disclosure.PublishedPower", verbose_name=_("办理时的公开版本"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        db_index=False)
    flowchart_revision = models.ForeignKey("powerlist.FlowchartRevision", verbose_name=_("办理时的流程图版本"),
                                           null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                           db_index=False)
    number = models.CharField(_("办件编号"), max_length=64)
    applicant_name = models.CharField(_("申请人"), max_length=200, blank=True)
    applicant_id_number = models.CharField(_("申请人证件号码"), max_length=40, blank=True)
    applicant_phone = models.CharField(_("申请人联系电话"), max_length=30, blank=True)
    online = models.BooleanField(_("网上办理"), default=True)
    state = models.CharField(_("状态"), max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED)
    received_at = models.DateTimeField(_("收件时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    statutory_days = models.PositiveIntegerField(_("法定时限(工作日)"), null=True, blank=True)
    promised_days = models.PositiveIntegerField(_("承诺时限(工作日)"), null=True, blank=True)
    extended_days = models.PositiveIntegerField(_("延长天数(工作日)"), default=0)
    suspended_days = models.PositiveIntegerField(_("中止天数(工作日)"), default=0)
    statutory_due = models.DateField(_("法定到期日"), null=True, blank=True)
    promised_due = models.DateField(_("承诺到期日"), null=True, blank=True)
    due_is_estimate = models.BooleanField(_("到期日为估算"), default=False)
    current_step_key = models.CharField(_("当前环节"), max_length=40, blank=True)
    current_step_name = models.CharField(_("当前环节名称"), max_length=100, blank=True)
    current_step_due = models.DateField(_("当前环节到期日"), null=True, blank=True)
    handler_name = models.CharField(_("承办人"), max_length=100, blank=True)
    on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    # Derived with the fields above (supervision.services.cases.cases_refresh): the earliest
    # time among the case's events (a read of its events starts there, so PostgreSQL skips
    # the months before it) and what its events leave (timeline.timeline_state), so that an
    # event later than all the others applies without reading them again.
    first_event_at = models.DateTimeField(_("最早事件时间"), null=True, blank=True, editable=False)
    timeline_state = models.JSONField(_("时限推算状态"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "number"], name="case_number_unique_in_department"),
        ]
        indexes = [
            models.Index(fields=["region", "state"], name="case_region_state_idx"),
            models.Index(fields=["department", "state"], name="case_department_state_idx"),
            models.Index(fields=["power", "state"], name="case_power_state_idx"),
            # The case list's order: its first page without sorting the table.
            models.Index(fields=["-received_at", "-id"], name="case_received_idx"),
            # The board's overdue list: running cases by promised due date, no sort.
            models.Index(fields=["promised_due", "id"], name="case_running_promised_idx",
                         condition=models.Q(state__in=["received", "accepted"])),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("supervision:case_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_CASE_STATES

    @property
    def applicant_masked(self) -> dict:
        """The applicant as everyone but the handling department sees it."""
        return {
            "name": mask_name(self.applicant_name),
            "id_number": mask_middle(self.applicant_id_number, keep_start=6, keep_end=4),
            "phone": mask_middle(self.applicant_phone, keep_start=3, keep_end=4),
        }

    @property
    def applicant(self) -> dict:
        return {"name": self.applicant_name, "id_number": self.applicant_id_number, "phone": self.applicant_phone}


class CaseSchedule(models.Model):
    """The beat scan's bookkeeping of one case, derived with it (supervision.services.cases):
    a narrow row beside the wide case row, so that serving a day's planned checks rewrites
    this row (its primary key and one index) and not the case (8 indexes)."""

    case = models.OneToOneField(Case, verbose_name=_("办件"), primary_key=True, on_delete=models.CASCADE,
                                related_name="schedule")
    # The first day on which a time rule not yet fired may fire (None once decided or
    # while suspended); the scan reads the rows with next_check_on <= today by the index.
    next_check_on = models.DateField(_("下次检查日"), null=True, blank=True)
    # The time alerts still to come and the day each fires (rules.time_checks), planned
    # when the case is derived, so the scan raises them without reading the events;
    # empty (null) when the due dates are estimates: the scan derives such a case again.
    time_checks = models.JSONField(_("待检查的时限预警"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件检查计划")
        verbose_name_plural = _("办件检查计划")
        indexes = [
            models.Index(fields=["next_check_on", "case"], name="case_schedule_next_check_idx",
                         condition=models.Q(next_check_on__isnull=False)),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.next_check_on}"


def mask_name(name: str) -> str:
    """张三丰 → 张**; an organisation's name keeps its first two characters."""
    if not name:
        return ""
    keep = 2 if len(name) > 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_middle(text: str, *, keep_start: int, keep_end: int) -> str:
    if not text:
        return ""
    if len(text) <= keep_start + keep_end:
        return text[:1] + "*" * (len(text) - 1)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


class EventKind(models.TextChoices):
    RECEIVED = "received", _("收件")
    ACCEPTED = "accepted", _("受理")
    REFUSED = "refused", _("不予受理")
    STEP_STARTED = "step_started", _("环节开始")
    STEP_FINISHED = "step_finished", _("环节完成")
    SUSPENDED = "suspended", _("中止")
    RESUMED = "resumed", _("恢复")
    EXTENDED = "extended", _("延长期限")
    DECIDED = "decided", _("作出决定")
    FEE_CHARGED = "fee_charged", _("收费")
    DELIVERED = "delivered", _("送达")


class SuspensionGround(models.TextChoices):
    CORRECTION = "补正", _("补正")
    HEARING = "听证", _("听证")
    ANNOUNCEMENT = "公告", _("公告")
    EXPERT_REVIEW = "专家评审", _("专家评审")
    TESTING = "检验检测", _("检验检测")


class CaseEvent(models.Model):
    """One fact about a case as its system reported it; `occurred_at` orders them,
    whatever order they arrived in. (system, event_id) is the idempotency key;
    `digest` is the hash of the event as sent, so a replay is told from a reuse."""

    # No index of its own: case_event_case_time_idx (case, occurred_at) serves every read.
    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="events",
                             db_index=False)
    # No index on system or recorded_by either: at tens of millions of rows with a handful
    # of values each they cost every insert and serve no read (the idempotency lookup goes
    # through CaseEventKey); only deleting a system or user would scan, and neither is
    # deleted (they are deactivated).
    system = models.ForeignKey(CaseSystem, verbose_name=_("审批系统"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    event_id = models.CharField(_("事件编号"), max_length=64)
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    step_key = models.CharField(_("环节"), max_length=40, blank=True)
    step_name = models.CharField(_("环节名称"), max_length=100, blank=True)
    person = models.CharField(_("经办人"), max_length=100, blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)
    digest = models.CharField(_("摘要值"), max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", db_index=False)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办件事件")
        verbose_name_plural = _("办件事件")
        ordering = ["case_id", "occurred_at", "id"]
        # On PostgreSQL the table is partitioned by month of occurred_at (migration 0004,
        # supervision.partitions): its primary key is (id, occurred_at) there, and the
        # idempotency key lives in CaseEventKey. Nothing may hold a foreign key to an event.
        indexes = [models.Index(fields=["case", "occurred_at"], name="case_event_case_time_idx")]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class CaseEventKey(models.Model):
    """The idempotency key of a system's event, (system, event_id), in a small table that
    is not partitioned (a unique index on the partitioned event table would have to hold
    occurred_at, so a replay with a changed time would become a second row). Written in
    the same transaction as the event; `digest` tells a replay from a reuse of the id;
    `event_pk` and `occurred_at` find the stored event in its partition."""

    # The unique (system, event_id) index serves lookups by system: no index of its own.
    system = models.ForeignKey(CaseSystem, verbose_name=_("审批系统"), on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    event_id = models.CharField(_("事件编号"), max_length=64)
    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="+")
    event_pk = models.BigIntegerField(_("事件"))
    occurred_at = models.DateTimeField(_("发生时间"))
    digest = models.CharField(_("摘要值"), max_length=64)

    class Meta:
        verbose_name = _("办件事件编号")
        verbose_name_plural = _("办件事件编号")
        constraints = [
            models.UniqueConstraint(fields=["system", "event_id"], name="case_event_key_unique"),
        ]

    def __str__(self):
        return f"{self.system_id}:{self.event_id}"


class Suspension(models.Model):
    """An interval that does not count toward the limits (Administrative Licensing Law
    art. 45), derived from a case's suspended/resumed events; `ended_on` empty while running."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="suspensions")
    ground = models.CharField(_("中止事由"), max_length=10, choices=SuspensionGround.choices)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("中止期间")
        verbose_name_plural = _("中止期间")
        ordering = ["case_id", "started_on"]

    def __str__(self):
        return f"{self.ground} {self.started_on}–{self.ended_on or ''}"


def choice_label(choices, value) -> str:
    """The label of `value` in the TextChoices class `choices`, in the active language,
    as get_FOO_display() gives it (the value itself when it is not a choice)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class AlertKind(models.TextChoices):
    PROMPT = "prompt", _("提示")
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")
    IRREGULAR = "irregular", _("异常办理")


class AlertRule(models.TextChoices):
    PROMISED_SOON = "promised_soon", _("承诺时限将到期")
    PROMISED_OVER = "promised_over", _("超承诺时限")
    STEP_OVER = "step_over", _("环节超时")
    STATUTORY_OVER = "statutory_over", _("超法定时限")
    REFUSAL_WITHOUT_REASONS = "refusal_without_reasons", _("不予受理未说明理由")
    DISCRETION_OUT_OF_RANGE = "discretion_out_of_range", _("处罚超出裁量基准幅度")
    CHECKPOINT_SKIPPED = "checkpoint_skipped", _("跳过监督制约环节")
    CHECKPOINT_OUT_OF_ORDER = "checkpoint_out_of_order", _("监督制约环节顺序错误")
    FEE_WITHOUT_BASIS = "fee_without_basis", _("无收费依据收费")
    NOT_ONLINE = "not_online", _("未网上办理")


RULE_KIND = {
    AlertRule.PROMISED_SOON: AlertKind.PROMPT,
    AlertRule.PROMISED_OVER: AlertKind.YELLOW,
    AlertRule.STEP_OVER: AlertKind.YELLOW,
    AlertRule.STATUTORY_OVER: AlertKind.RED,
}


class Alert(FlowItem):
    """A prompt, a yellow or red card, or irregular handling found on a case; it names
    the case, the step, the post and the person, and travels ALERT_FLOW. One alert per
    (case, rule, step): evaluating a case again never raises the same alert twice."""

    flow = ALERT_FLOW
    state = models.CharField(_("处置状态"), max_length=20, choices=AlertState.choices, default=AlertState.OPEN,
                             db_index=True)
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="alerts")
    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=AlertKind.choices)
    rule = models.CharField(_("规则"), max_length=30, choices=AlertRule.choices)
    step_key = models.CharField(_("环节"), max_length=40, blank=True)
    step_name = models.CharField(_("环节名称"), max_length=100, blank=True)
    post = models.ForeignKey("powerlist.Post", verbose_name=_("岗位"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    post_name = models.CharField(_("岗位名称"), max_length=100, blank=True)
    person_name = models.CharField(_("责任人"), max_length=100, blank=True)
    message = models.CharField(_("预警内容"), max_length=500)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    escalated_to_head = models.BooleanField(_("升级至部门负责人"), default=False)
    raised_at = models.DateTimeField(_("预警时间"))

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "rule", "step_key"], name="alert_once_per_case_rule_step"),
        ]
        indexes = [
            models.Index(fields=["region", "state"], name="alert_region_state_idx"),
            models.Index(fields=["post", "kind", "raised_at"], name="alert_post_kind_time_idx"),
            models.Index(fields=["-raised_at", "-id"], name="alert_raised_idx"),
        ]

    def __str__(self):
        # The labels through the enums, not get_kind_display()/get_rule_display(): those
        # rebuild a dict of every choice (hashing each lazy label) per call, ~50 µs each,
        # and every raised alert is named three times (its record entry, its notice).
        return f"{choice_label(AlertKind, self.kind)} {self.case.number} {choice_label(AlertRule, self.rule)}"

    def get_absolute_url(self):
        return reverse("supervision:alert_detail", args=[self.pk])


# Complaints from the public (投诉举报): supervision/complaints/models.py.
from supervision.complaints.models import (  # noqa: E402,F401
    ComplainantActor,
    Complaint,
    ComplaintAttachment,
    ComplaintIdentity,
    ComplaintPolicy,
    ComplaintSubject,
)
# Inspections, rectification, accountability and assessment live in their own packages;
# imported here so Django registers them under the supervision app.
from supervision.inspections.models import (  # noqa: E402,F401
    AccountabilityMeasure, AccountabilityRecord, Finding, InspectionPlan, Rectification,
)
from supervision.assessment.models import AssessmentResult, AssessmentWeights  # noqa: E402,F401


class BoardFact(models.Model):
    """One pre-aggregated figure of the supervisors' board (a rollup of cases and alerts,
    rebuilt set-wise by supervision.services.board.board_rollup_refresh: after the beat
    scan and every few minutes), so the board reads a few thousand rows instead of
    aggregating a province's cases on every request. `metric` says what `n` counts;
    the dimensions a metric does not use are empty. Every row of one rebuild carries its
    time (`computed_at`); the board says how old its figures are."""

    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.CASCADE,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), null=True,
                                   on_delete=models.CASCADE, related_name="+")
    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), null=True, on_delete=models.CASCADE,
                              related_name="+", db_index=False)
    post_name = models.CharField(_("岗位名称"), max_length=100, blank=True)
    metric = models.CharField(_("指标"), max_length=20)
    kind = models.CharField(_("预警类型"), max_length=10, blank=True)
    month = models.DateField(_("月份"), null=True)
    n = models.PositiveIntegerField(_("数量"))
    computed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("监察看板统计")
        verbose_name_plural = _("监察看板统计")
        indexes = [models.Index(fields=["metric", "region"], name="board_fact_metric_region_idx")]

    def __str__(self):
        return f"{self.metric} {self.region_id} {self.n}"
