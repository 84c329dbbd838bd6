"""The shared review machine's data: the state every reviewed item carries, and the
append-only, hash-chained review log (the first part of the operation record,
重要行政权力运行记录)."""

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
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


class Reviewable(models.Model):
    """Fields of everything that travels the review chain.

    Subclasses have `department` and `region` foreign keys (denormalised for scope
    queries) and declare `review_flow` (see powerlist.review.flows).
    """

    state = models.CharField(
        _("审核状态"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    # Bumped by every transition: a page posts the version it showed, so an action on
    # a stale page is refused instead of applied to something the user never saw.
    version = models.PositiveIntegerField(_("版本"), default=1)
    state_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
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


class ChainHead(models.Model):
    """One row per chain; locking it serialises writers so the chain never forks."""

    name = models.CharField(max_length=30, unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("日志链头")
        verbose_name_plural = _("日志链头")


class ReviewLogEntry(models.Model):
    """An append-only review log entry, chained to the previous one by SHA-256."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField(_("对象编号"))
    item = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=300)
    region = models.ForeignKey(
        "powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150)
    actor_role = models.CharField(_("角色"), max_length=30)
    action = models.CharField(_("操作"), max_length=30, choices=ReviewAction.choices)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20)
    comment = models.TextField(_("意见"), blank=True)
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    # The item's content as submitted (on submit only), so a reviewer sees what
    # changed since the submission they last looked at.
    snapshot = models.JSONField(_("提交内容"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"))
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    entry_hash = models.CharField(_("本条哈希"), max_length=64)

    class Meta:
        verbose_name = _("审核日志")
        verbose_name_plural = _("审核日志")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "seq"], name="reviewlog_item_idx"),
            models.Index(fields=["region", "seq"], name="reviewlog_region_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.object_repr} {self.action}"

    def canonical_content(self) -> bytes:
        """The bytes the hash covers: every recorded fact, in a fixed order."""
        data = {
            "seq": self.seq,
            "item": f"{self.content_type.app_label}.{self.content_type.model}:{self.object_id}",
            "object_repr": self.object_repr,
            "region_id": self.region_id,
            "department_id": self.department_id,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "comment": self.comment,
            "revision": self.revision,
            "snapshot_sha256": (
                hashlib.sha256(
                    json.dumps(self.snapshot, ensure_ascii=False, sort_keys=True, default=str).encode()
                ).hexdigest()
                if self.snapshot is not None
                else None
            ),
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "prev_hash": self.prev_hash,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_content()).hexdigest()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Review log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Review log entries are append-only.")
