"""The operation record's data (重要行政权力运行记录): append-only entries hash-chained per
stream, one head row per chain that writers lock, and the daily checkpoints of each
chain's head. Written only by powerlist.review.record."""

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.review.models import ReviewAction

# The one chain of the entries written before the record had streams. Its entries keep
# their hashes (which do not cover a chain name); it is verified like any other chain
# and receives no new entries.
LEGACY_CHAIN = "review"
GENESIS_HASH = "0" * 64


class ChainHead(models.Model):
    """One row per chain; locking it serialises that chain's writers so it never forks."""

    name = models.CharField(max_length=64, unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("日志链头")
        verbose_name_plural = _("日志链头")

    def __str__(self):
        return f"{self.name} #{self.last_seq}"


class ReviewLogEntry(models.Model):
    """An append-only operation-record entry, chained to the previous entry of its chain
    by SHA-256; `seq` counts from 1 within the chain."""

    chain = models.CharField(_("记录链"), max_length=64)
    seq = models.BigIntegerField(_("序号"))
    # No single-column indexes on content_type and region: reviewlog_item_idx and
    # reviewlog_region_idx lead with them (one index fewer to write per entry each).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.BigIntegerField(_("对象编号"))
    item = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=300)
    region = models.ForeignKey(
        "powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+", db_index=False
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
        ordering = ["chain", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="reviewlog_chain_seq_uniq")]
        indexes = [
            models.Index(fields=["content_type", "object_id", "seq"], name="reviewlog_item_idx"),
            models.Index(fields=["region", "seq"], name="reviewlog_region_idx"),
        ]

    def __str__(self):
        return f"{self.chain} #{self.seq} {self.object_repr} {self.action}"

    def canonical_content(self) -> bytes:
        """The bytes the hash covers: every recorded fact, in a fixed order. Entries of a
        stream chain also cover their chain's name, so no entry can be moved to another
        chain; legacy entries keep the content their hashes were computed over."""
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        data = {
            "seq": self.seq,
            "item": f"{content_type.app_label}.{content_type.model}:{self.object_id}",
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
        if self.chain != LEGACY_CHAIN:
            data["chain"] = self.chain
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_content()).hexdigest()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Operation-record entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Operation-record entries are append-only.")


class Checkpoint(models.Model):
    """A chain's head as verified at one moment (daily): published, it lets anyone check
    that nothing before it changed, and lets verification start from it."""

    chain = models.CharField(_("记录链"), max_length=64)
    seq = models.BigIntegerField(_("序号"))
    head_hash = models.CharField(_("链头哈希"), max_length=64)
    count = models.BigIntegerField(_("条数"))
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("记录检查点")
        verbose_name_plural = _("记录检查点")
        ordering = ["chain", "-seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="record_checkpoint_chain_seq_uniq")]

    def __str__(self):
        return f"{self.chain} #{self.seq} {self.head_hash[:12]}"
