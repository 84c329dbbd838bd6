"""Complaints from the public (投诉举报), the complainant's identity kept apart, and
the retention of identities (docs/complaints.md).

A Complaint travels COMPLAINT_FLOW (supervision.complaints.flow) through the portal's
one engine. It holds what the complaint is about and how it was handled, never who filed
it: the complainant's name, phone, identity number and address live in
ComplaintIdentity, encrypted at rest (supervision.complaints.crypto), shown only to the
handling supervisors and erased after the retention period (ComplaintPolicy).
The complainant proves who they are with the tracking code and a secret phrase, of which
only a hash is stored.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powerlist.review.models import FlowItem
from supervision.complaints.flow import (
    COMPLAINANT,
    COMPLAINT_FLOW,
    ComplaintOutcome,
    ComplaintRating,
    ComplaintState,
)


class ComplaintSubject(models.TextChoices):
    POWER = "power", _("某一权力事项")
    CASE = "case", _("某一办件")
    DEPARTMENT = "department", _("某一部门")


class Complaint(FlowItem):
    """One complaint or report, about a power, a case or a department.

    `region` and `department` are the department complained about (the scope of the
    supervisors who handle it and of the department's redacted copy). Timestamps are
    written by the flow's effects; `outcome` stays blank until the complaint is closed,
    and "closed" is not "resolved": the outcome says what handling found."""

    flow = COMPLAINT_FLOW
    state = models.CharField(_("办理状态"), max_length=20, choices=ComplaintState.choices,
                             default=ComplaintState.RECEIVED, db_index=True)
    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True)
    phrase_hash = models.CharField(_("查询密语摘要"), max_length=200)
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("被投诉部门"), on_delete=models.PROTECT,
                                   related_name="complaints")
    subject = models.CharField(_("投诉对象"), max_length=20, choices=ComplaintSubject.choices)
    power = models.ForeignKey("powerlist.Power", verbose_name=_("权力事项"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="complaints")
    case = models.ForeignKey("supervision.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="complaints")
    case_number = models.CharField(_("办件编号"), max_length=64, blank=True)
    # The title is stored with the complainant's identity masked (it names the
    # complaint in notices and the operation record); the content is kept as written
    # for the handling supervisors, and masked for the department's copy.
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("投诉内容"))
    content_redacted = models.TextField(_("投诉内容(隐去身份信息)"))
    is_anonymous = models.BooleanField(_("匿名投诉"), default=False)

    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    accept_due_on = models.DateField(_("受理期限"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    declined_at = models.DateTimeField(_("不予受理时间"), null=True, blank=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    assigned_at = models.DateTimeField(_("领办时间"), null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(_("办理完毕时间"), null=True, blank=True)
    finding = models.CharField(_("办理结论"), max_length=20, choices=ComplaintOutcome.choices, blank=True)
    findings_text = models.TextField(_("办理情况"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    reopen_until = models.DateField(_("可申请重新办理至"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=ComplaintOutcome.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), choices=ComplaintRating.choices, null=True, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    identity_erased_at = models.DateTimeField(_("身份信息删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["region", "state"], name="complaint_region_state_idx"),
            models.Index(fields=["department", "received_at"], name="complaint_dept_received_idx"),
            models.Index(fields=["state", "accept_due_on"], name="complaint_state_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome="") | models.Q(state=ComplaintState.CLOSED),
                                   name="complaint_outcome_only_when_closed"),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    def get_absolute_url(self):
        return reverse("supervision:complaint_detail", args=[self.pk])


class ComplaintIdentity(models.Model):
    """Who filed a complaint, kept apart from it. Every field is a Fernet token
    (supervision.complaints.crypto); nothing here is ever shown but on the handling
    supervisors' identity page, and each view of it is written to the operation record."""

    complaint = models.OneToOneField(Complaint, verbose_name=_("投诉举报"), on_delete=models.CASCADE,
                                     related_name="identity")
    name_token = models.TextField(_("姓名(密文)"), blank=True)
    phone_token = models.TextField(_("联系电话(密文)"), blank=True)
    id_number_token = models.TextField(_("身份证号(密文)"), blank=True)
    address_token = models.TextField(_("地址(密文)"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("投诉人身份信息")
        verbose_name_plural = _("投诉人身份信息")

    def __str__(self):
        # Never the identity itself: this string reaches logs and admin pages.
        return f"#{self.complaint_id}"


def complaint_attachment_path(instance, filename):
    return f"complaints/{instance.complaint_id}/{filename}"


class ComplaintAttachment(models.Model):
    """A file the complainant sent with the complaint (checked by content, through Django
    storage). Only the handling supervisors open it: it may name the complainant."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("投诉举报"), on_delete=models.CASCADE,
                                  related_name="attachments")
    file = models.FileField(_("文件"), upload_to=complaint_attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("投诉附件")
        verbose_name_plural = _("投诉附件")
        ordering = ["complaint_id", "id"]

    def __str__(self):
        return self.name


class ComplaintPolicy(models.Model):
    """The administrator's settings for complaints (one row, edited in the admin)."""

    identity_retention_days = models.PositiveIntegerField(
        _("身份信息保留天数"), default=730,
        help_text=_("投诉办结或不予受理后,投诉人身份信息保留的天数;期满由定时任务删除。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("投诉举报设置")
        verbose_name_plural = _("投诉举报设置")

    def __str__(self):
        return str(_("投诉举报设置"))

    @classmethod
    def current(cls):
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class ComplainantActor(get_user_model()):
    """The complainant as the engine's actor: the one service account
    COMPLAINANT_USERNAME, bound (supervision.complaints.principal) to the single complaint
    whose tracking code and phrase were shown. It holds the COMPLAINANT role for that
    complaint and nothing else, and it can never sign in (no usable password)."""

    class Meta:
        proxy = True
        verbose_name = _("投诉人(公众)")
        verbose_name_plural = _("投诉人(公众)")

    _bound_complaint_id = None

    def bind(self, complaint_id):
        self._bound_complaint_id = complaint_id
        self._role_cache = frozenset({COMPLAINANT}) if complaint_id else frozenset()
        return self

    def role_set(self):
        return frozenset({COMPLAINANT}) if self._bound_complaint_id else frozenset()

    def principal_reaches(self, role, obj) -> bool:
        """powerlist.org.permissions.role_in_scope asks this instead of the org scopes."""
        return (role == COMPLAINANT and isinstance(obj, Complaint) and self._bound_complaint_id is not None
                and obj.pk == self._bound_complaint_id)

    def __str__(self):
        return str(_("投诉人"))


COMPLAINANT_USERNAME = "public-complainant"
