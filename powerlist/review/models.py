"""The shared review machine's data: the state every reviewed item carries. The
operation record it writes to lives in record_models.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    DEPARTMENT_REVIEW = "department_review", _("部门审核中")
    OFFICE_REVIEW = "office_review", _("领导小组办公室审核中")
    FINAL_REVIEW = "final_review", _("最终确认中")
    CONFIRMED = "confirmed", _("已确认")


class ReviewAction(models.TextChoices):
    CREATE = "create", _("创建")
    SUBMIT = "submit", _("提交审核")
    WITHDRAW = "withdraw", _("撤回")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")
    CONFIRM_ESTABLISHMENT = "confirm_establishment", _("编委办确认")
    CONFIRM_LEGAL = "confirm_legal", _("法制办确认")
    REVISE = "revise", _("发起修订")


class FlowItem(models.Model):
    """Fields of everything that travels a flow (powerlist.review.flow).

    A concrete subclass declares `flow = <Flow>`, defines `state` with the flow's
    states as choices and the initial state as default, has `region` and `department`
    foreign keys (the scope of every role), and its app registers a FlowContract
    (powerlist.review.contract) in AppConfig.ready. The system check
    powerlist.review.checks verifies all of it at start-up.
    """

    flow = None
    # Bumped by every transition: a page posts the version it showed, so an action on
    # a stale page is refused instead of applied to something the user never saw.
    version = models.PositiveIntegerField(_("版本"), default=1)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)

    class Meta:
        abstract = True


class Reviewable(FlowItem):
    """Fields of everything that travels the review chain (the flows in
    powerlist.review.flows): the submission and confirmation stamps and the two
    offices' confirmation slots.
    """

    state = models.CharField(
        _("审核状态"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    establishment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编委办确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("法制办确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_return_comment = models.TextField(_("最近退回意见"), blank=True)

    class Meta:
        abstract = True
