"""The non-disclosure register (不予公开/暂缓公开 登记), the adjustment notes (调整说明)
and the retraction of a power published in error (错误公开撤回): what a department
files and the leading-group office reviews and records (审核备案), each travelling a
short flow through the shared engine (powerlist.review.engine).

    draft ─submit→ submitted ─record→ recorded ─lapse→ lapsed      (NON_DISCLOSURE_FLOW)
      ↑  ←withdraw─┘    └─return→ returned ─submit→ submitted
    draft ─submit→ submitted ─record→ recorded                      (ADJUSTMENT_FLOW)
    draft ─retract→ retracted                                       (RETRACTION_FLOW)

A recorded non-disclosure keeps its power out of every publication and every public
page; the public sees only how many a department has, on which grounds. A recorded
adjustment note is published beside the department's change log. A retracted power's
public pages answer 410 with the explanation.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powerlist.org.roles import Role
from powerlist.review.flow import OPTIONAL, REQUIRED, Flow, transition
from powerlist.review.models import FlowItem


class RegisterState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核备案")
    RETURNED = "returned", _("已退回")
    RECORDED = "recorded", _("已备案")
    LAPSED = "lapsed", _("已失效")


class RegisterAction(models.TextChoices):
    SUBMIT = "submit", _("提交备案")
    WITHDRAW = "withdraw", _("撤回")
    RECORD = "record", _("审核备案")
    RETURN = "return", _("退回修改")
    LAPSE = "lapse", _("情形消失,登记失效")


S, A = RegisterState, RegisterAction

_SUBMIT = transition(S.DRAFT, A.SUBMIT, {Role.CLERK}, S.SUBMITTED, batch=True,
                     effects=("stamp_submitted", "store_snapshot", "notify_next"))
_RESUBMIT = transition(S.RETURNED, A.SUBMIT, {Role.CLERK}, S.SUBMITTED, batch=True,
                       effects=("stamp_submitted", "store_snapshot", "notify_next"))
_WITHDRAW = transition(S.SUBMITTED, A.WITHDRAW, {Role.CLERK}, S.DRAFT, waiting=False)
_RECORD = transition(S.SUBMITTED, A.RECORD, {Role.OFFICE_REVIEWER}, S.RECORDED, comment=OPTIONAL, batch=True)
_RETURN = transition(S.SUBMITTED, A.RETURN, {Role.OFFICE_REVIEWER}, S.RETURNED, comment=REQUIRED, batch=True,
                     waiting=False, effects=("store_return_comment", "notify_owner"))
_ON_RECORDED = {S.RECORDED: ("stamp_confirmed", "put_in_force", "notify_owner")}

NON_DISCLOSURE_FLOW = Flow(
    name="non_disclosure",
    label=_("不予公开登记审核备案"),
    states=RegisterState,
    actions=RegisterAction,
    initial=S.DRAFT,
    owner_role=Role.CLERK,
    on_enter={**_ON_RECORDED, S.LAPSED: ("put_in_force",)},
    transitions=(
        _SUBMIT, _RESUBMIT, _WITHDRAW, _RECORD, _RETURN,
        # The ground ended (a deferral's date came, a secret was declassified): the
        # department or the office ends the record, saying why; the power is disclosed
        # again from the next publication.
        transition(S.RECORDED, A.LAPSE, {Role.CLERK, Role.OFFICE_REVIEWER}, S.LAPSED, comment=REQUIRED,
                   waiting=False),
    ),
)

ADJUSTMENT_FLOW = Flow(
    name="adjustment_note",
    label=_("调整说明审核备案"),
    states=RegisterState,
    actions=RegisterAction,
    initial=S.DRAFT,
    owner_role=Role.CLERK,
    on_enter=_ON_RECORDED,
    transitions=(_SUBMIT, _RESUBMIT, _WITHDRAW, _RECORD, _RETURN),
)


class RetractionState(models.TextChoices):
    DRAFT = "draft", _("拟撤回")
    RETRACTED = "retracted", _("已撤回公开")


class RetractionAction(models.TextChoices):
    RETRACT = "retract", _("撤回错误公开")


RETRACTION_FLOW = Flow(
    name="retraction",
    label=_("错误公开撤回"),
    states=RetractionState,
    actions=RetractionAction,
    initial=RetractionState.DRAFT,
    owner_role=Role.OFFICE_REVIEWER,
    on_enter={RetractionState.RETRACTED: ("stamp_confirmed", "put_in_force")},
    transitions=(
        transition(RetractionState.DRAFT, RetractionAction.RETRACT, {Role.OFFICE_REVIEWER},
                   RetractionState.RETRACTED, comment=OPTIONAL),
    ),
)


class Ground(models.TextChoices):
    """Grounds for not disclosing (《政府信息公开条例》第十四、十五、十六条)."""

    STATE_SECRET = "state_secret", _("依法确定为国家秘密")
    LAW_PROHIBITS = "law_prohibits", _("法律、行政法规禁止公开")
    SECURITY = "security", _("公开后可能危及国家安全、公共安全、经济安全、社会稳定")
    THIRD_PARTY = "third_party", _("涉及商业秘密、个人隐私等,公开会对第三方合法权益造成损害")
    INTERNAL = "internal", _("内部事务信息")
    PROCESS = "process", _("过程性信息")
    OTHER = "other", _("法律、法规规定的其他情形")


class _Filed(FlowItem):
    """What the register's entries share: scope, the flow's stamps, who filed it."""

    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    division = models.ForeignKey("powerlist.Division", verbose_name=_("处(科、室)"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=12, choices=RegisterState.choices, default=RegisterState.DRAFT,
                             db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    last_return_comment = models.TextField(_("最近退回意见"), blank=True)

    class Meta:
        abstract = True


class NonDisclosure(_Filed):
    """One power that may not (不予公开) or not yet (暂缓公开) be disclosed, with the
    legal ground and the reason. Recorded, it keeps the power out of publications."""

    class Kind(models.TextChoices):
        WITHHELD = "withheld", _("不予公开")
        DEFERRED = "deferred", _("暂缓公开")

    flow = NON_DISCLOSURE_FLOW

    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), on_delete=models.PROTECT,
                              related_name="non_disclosures")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.WITHHELD)
    ground = models.CharField(_("不予公开情形"), max_length=20, choices=Ground.choices)
    legal_basis = models.CharField(_("法律依据"), max_length=300,
                                   help_text=_("如:《中华人民共和国保守国家秘密法》第九条"))
    reason = models.TextField(_("理由"), max_length=2000)
    expected_date = models.DateField(_("预计公开日期"), null=True, blank=True,
                                     help_text=_("暂缓公开时必填。"))
    # The day the clerks and the office were told that a recorded deferral reached its
    # expected date (register_services.deferrals_due_notify); not a state: the entry stays
    # recorded until someone lapses it or files anew.
    due_notified_on = models.DateField(_("到期提醒日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("不予公开登记")
        verbose_name_plural = _("不予公开登记")
        ordering = ["-id"]
        constraints = [
            # A power has at most one live entry: a new one only once the last lapsed.
            models.UniqueConstraint(fields=["power"], condition=~models.Q(state="lapsed"),
                                    name="non_disclosure_one_live_per_power"),
        ]
        indexes = [
            models.Index(fields=["department", "state"], name="non_disclosure_dept_state_idx"),
            # The daily reminder's pass: recorded deferrals not yet reminded, by date.
            models.Index(fields=["expected_date"], name="non_disclosure_due_idx",
                         condition=models.Q(state="recorded", kind="deferred", due_notified_on__isnull=True)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}:{self.power}"

    def get_absolute_url(self):
        return reverse("disclosure:non_disclosure", args=[self.pk])


class AdjustmentNote(_Filed):
    """调整说明: a department's functions changed; the note names the powers affected."""

    flow = ADJUSTMENT_FLOW

    title = models.CharField(_("标题"), max_length=200)
    reason = models.TextField(_("调整原因"), max_length=4000)
    ground = models.CharField(_("调整依据"), max_length=500, help_text=_("如:机构改革方案、“三定”规定、法律法规修订"))
    effective_date = models.DateField(_("调整生效日期"))

    class Meta:
        verbose_name = _("调整说明")
        verbose_name_plural = _("调整说明")
        ordering = ["-id"]
        indexes = [models.Index(fields=["department", "state", "confirmed_at"], name="adjustment_dept_state_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("disclosure:adjustment", args=[self.pk])


class AdjustmentItem(models.Model):
    """One power an adjustment note names, and how it changed."""

    class Change(models.TextChoices):
        ADDED = "added", _("新增")
        CANCELLED = "cancelled", _("取消")
        MOVED = "moved", _("划转")
        CHANGED = "changed", _("变更")

    note = models.ForeignKey(AdjustmentNote, verbose_name=_("调整说明"), on_delete=models.CASCADE,
                             related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    change = models.CharField(_("调整类型"), max_length=10, choices=Change.choices)
    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="adjustment_items")
    code = models.CharField(_("事项编码"), max_length=50)
    name = models.CharField(_("事项名称"), max_length=200)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    new_department = models.ForeignKey("powerlist.Department", verbose_name=_("划转至部门"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    new_code = models.CharField(_("划转后事项编码"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("调整事项")
        verbose_name_plural = _("调整事项")
        ordering = ["note_id", "order", "id"]
        indexes = [models.Index(fields=["power", "change"], name="adjustment_item_power_idx")]

    def __str__(self):
        return f"{self.get_change_display()} {self.code} {self.name}"


class Retraction(FlowItem):
    """A power published in error (错误公开): once retracted by the office, every
    published version of it answers 410 with the explanation and leaves search."""

    flow = RETRACTION_FLOW

    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    power = models.ForeignKey("powerlist.Power", verbose_name=_("行政权力"), on_delete=models.PROTECT,
                              related_name="retractions")
    state = models.CharField(_("状态"), max_length=12, choices=RetractionState.choices,
                             default=RetractionState.DRAFT, db_index=True)
    explanation = models.TextField(_("公开说明"), max_length=2000,
                                   help_text=_("向公众说明该事项为何被撤回(将显示在原公开页面上)。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("错误公开撤回")
        verbose_name_plural = _("错误公开撤回")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["power"], name="retraction_once_per_power"),
        ]

    def __str__(self):
        return f"{self.get_state_display()}:{self.power}"

    def get_absolute_url(self):
        return reverse("disclosure:retraction", args=[self.pk])
