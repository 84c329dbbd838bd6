"""Every write about complaints: filing, the flow's actions, reading the identity, erasing it.

The flow's actions are thin entry points into the one engine (powerlist.review.engine
flow_apply): it checks the role and scope (the complainant included, as the principal of
supervision.complaints.principal), locks the row, runs the table's effects, writes the
operation record and sends the notices after commit.
"""

import logging
import os
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from powerlist.org.permissions import require
from powerlist.review.engine import flow_apply
from powerlist.review.record import operation_record_append
from riskpoints.services.riskpoints import attachment_validate
from supervision.clock import due_date
from supervision.complaints.crypto import identity_decrypt, identity_encrypt
from supervision.complaints.flow import (
    ACCEPT_WITHIN_WORKING_DAYS,
    COMPLAINANT,
    FILE_ACTION,
    VIEW_IDENTITY_ACTION,
    ComplaintAction,
    ComplaintState,
)
from supervision.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintIdentity,
    ComplaintPolicy,
    ComplaintSubject,
)
from supervision.complaints.notices import complaint_notice_filed
from supervision.complaints.permissions import can_open_attachments, can_view_identity
from supervision.complaints.principal import complainant_actor, phrase_hash, phrase_new, tracking_code_new

logger = logging.getLogger(__name__)

IDENTITY_FIELDS = ("name", "phone", "id_number", "address")

# Photos besides the portal's PDF and Word attachments: extension → signatures.
IMAGE_SIGNATURES = {".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",)}
CONTENT_TYPES = {".pdf": "application/pdf", ".doc": "application/msword",
                 ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

# What looks like a mainland mobile or landline number, or an identity card number.
_PHONE_RE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_ID_RE = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")
MASK = "***"


def redact(text: str, identity: dict) -> str:
    """`text` with the identity's values and anything shaped like a phone or identity
    number replaced by ***: the department's copy and every name of the complaint."""
    for value in sorted((v for v in identity.values() if v and len(v) >= 2), key=len, reverse=True):
        text = text.replace(value, MASK)
    text = _ID_RE.sub(MASK, text)
    return _PHONE_RE.sub(MASK, text)


def attachment_check(upload) -> tuple[str, str]:
    """(extension, content type) of an acceptable attachment: a PDF or Word file (the
    portal's rules, riskpoints.services.riskpoints.attachment_validate) or a JPEG/PNG
    photo whose content matches its name, within settings.UPLOAD_MAX_BYTES."""
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if ext in IMAGE_SIGNATURES:
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError({"attachments": _("附件不能超过 %(mb)s MB。") % {
                "mb": round(settings.UPLOAD_MAX_BYTES / 1024 / 1024, 1)}})
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in IMAGE_SIGNATURES[ext]):
            raise ValidationError({"attachments": _("附件内容与文件类型“%(ext)s”不符。") % {"ext": ext}})
        return ext, CONTENT_TYPES[ext]
    try:
        ext = attachment_validate(upload)
    except ValidationError as exc:
        messages = exc.messages
        if ext not in CONTENT_TYPES:
            messages = [_("附件只能是 PDF、Word 文件或 JPG、PNG 图片。")]
        raise ValidationError({"attachments": messages}) from None
    return ext, CONTENT_TYPES[ext]


def _resolve_subject(*, subject, power, department, case_number):
    """(department, power, case) the complaint is about, or ValidationError per field."""
    if subject == ComplaintSubject.POWER:
        if power is None:
            raise ValidationError({"power": _("请选择投诉的权力事项。")})
        return power.department, power, None
    if department is None:
        raise ValidationError({"department": _("请选择被投诉的部门。")})
    if subject == ComplaintSubject.CASE:
        number = (case_number or "").strip()
        if not number:
            raise ValidationError({"case_number": _("请填写办件编号。")})
        case = department.cases.select_related("power").filter(number=number).first()
        if case is None:
            raise ValidationError({"case_number": _("该部门没有这个办件编号,请核对后再填写。")})
        return department, case.power, case
    return department, None, None


@sensitive_variables()
def complaint_file(*, subject, title, content, power=None, department=None, case_number="", identity=None,
                   is_anonymous=False, attachments=()):
    """File a complaint from the public form; returns (complaint, phrase).

    The phrase is returned once and stored only as a hash. The identity (name, phone,
    id_number, address) is encrypted into its own row unless the complaint is
    anonymous, in which case whatever was typed is dropped. Title and the department's
    copy of the content are masked. Attachments are checked by content. Raises
    ValidationError per field; nothing is saved on refusal. Tells the region's
    supervisors after commit."""
    identity = {k: (identity or {}).get(k, "").strip() for k in IDENTITY_FIELDS}
    if is_anonymous:
        identity = dict.fromkeys(IDENTITY_FIELDS, "")
    elif not (identity["name"] and (identity["phone"] or identity["address"])):
        raise ValidationError({"name": _("实名投诉请填写姓名和联系电话(或地址);不愿留下身份信息的,请勾选“匿名投诉”。")})
    if len(attachments) > settings.COMPLAINT_ATTACHMENTS_MAX:
        raise ValidationError({"attachments": _("最多上传 %(n)d 个附件。") % {"n": settings.COMPLAINT_ATTACHMENTS_MAX}})
    department, power, case = _resolve_subject(subject=subject, power=power, department=department,
                                               case_number=case_number)
    checked = [(upload, *attachment_check(upload)) for upload in attachments]
    now = timezone.now()
    phrase = phrase_new()
    with transaction.atomic():
        code = tracking_code_new()
        while Complaint.objects.filter(tracking_code=code).exists():
            code = tracking_code_new()
        complaint = Complaint.objects.create(
            tracking_code=code, phrase_hash=phrase_hash(phrase), region=department.region, department=department,
            subject=subject, power=power, case=case, case_number=case.number if case else "",
            title=redact(title.strip(), identity)[:100], content=content.strip(),
            content_redacted=redact(content.strip(), identity), is_anonymous=is_anonymous, received_at=now,
            accept_due_on=due_date(timezone.localtime(now).date(), ACCEPT_WITHIN_WORKING_DAYS).date,
        )
        if any(identity.values()):
            ComplaintIdentity.objects.create(complaint=complaint, **{
                f"{k}_token": identity_encrypt(v) for k, v in identity.items()})
        for upload, ext, content_type in checked:
            attachment = ComplaintAttachment(complaint=complaint, name=os.path.basename(upload.name)[:200],
                                             content_type=content_type, size=upload.size)
            # The stored name is ours; the complainant's file name is only a label.
            attachment.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
            attachment.save()
        operation_record_append(obj=complaint, actor=complainant_actor(complaint.pk), role=COMPLAINANT,
                                action=FILE_ACTION, from_state="", to_state=complaint.state)
        complaint_notice_filed(complaint=complaint)
    logger.info("complaint %s filed for department %s", complaint.tracking_code, department.pk)
    return complaint, phrase


def complaint_apply(*, user, complaint, action, comment="", data=None, expected_version=None):
    """Take a flow action on a complaint (the engine does every check)."""
    return flow_apply(user=user, obj=complaint, action=action, comment=comment, data=data,
                      expected_version=expected_version)


# Named entry points, so `grep complaint_` finds every caller.

def complaint_accept(*, user, complaint, comment="", expected_version=None):
    return complaint_apply(user=user, complaint=complaint, action=ComplaintAction.ACCEPT, comment=comment,
                           expected_version=expected_version)


def complaint_decline(*, user, complaint, reason, expected_version=None):
    """Decline with the reason (required; shown to the complainant)."""
    return complaint_apply(user=user, complaint=complaint, action=ComplaintAction.DECLINE, comment=reason,
                           expected_version=expected_version)


def complaint_assign(*, user, complaint, comment="", expected_version=None):
    """The supervisor takes the complaint on; the department receives its redacted copy."""
    return complaint_apply(user=user, complaint=complaint, action=ComplaintAction.ASSIGN, comment=comment,
                           expected_version=expected_version)


def complaint_handle(*, user, complaint, finding, findings_text, expected_version=None):
    """Record what handling found (resolved / not substantiated / outside remit)."""
    return complaint_apply(user=user, complaint=complaint, action=ComplaintAction.HANDLE, comment=findings_text,
                           data={"finding": finding}, expected_version=expected_version)


def complaint_reply(*, user, complaint, reply, expected_version=None):
    """Reply to the complainant (public on the tracking page); opens the 15-day window."""
    return complaint_apply(user=user, complaint=complaint, action=ComplaintAction.REPLY, comment=reply,
                           expected_version=expected_version)


def complaint_close(*, user, complaint, comment="", expected_version=None):
    """Close: the outcome becomes the finding."""
    return complaint_apply(user=user, complaint=complaint, action=ComplaintAction.CLOSE, comment=comment,
                           expected_version=expected_version)


def complaint_rate(*, actor, complaint, rating, comment=""):
    """The complainant rates the reply (once, within the window)."""
    return complaint_apply(user=actor, complaint=complaint, action=ComplaintAction.RATE, comment=comment,
                           data={"rating": rating})


def complaint_reopen(*, actor, complaint, reason):
    """The complainant asks for the complaint to be handled again (within the window)."""
    return complaint_apply(user=actor, complaint=complaint, action=ComplaintAction.REOPEN, comment=reason)


def complaint_withdraw(*, actor, complaint, comment=""):
    return complaint_apply(user=actor, complaint=complaint, action=ComplaintAction.WITHDRAW, comment=comment)


@sensitive_variables()
def complaint_identity_view(*, user, complaint) -> dict:
    """The complainant's identity, decrypted, for a handling supervisor; each call is
    written to the operation record (who, when) before anything is returned. Raises
    PermissionDenied with the reason."""
    decision = require(can_view_identity(user, complaint))
    with transaction.atomic():
        identity = ComplaintIdentity.objects.filter(complaint=complaint).first()
        if identity is None:
            raise PermissionDenied(_("该投诉没有登记身份信息。"))
        operation_record_append(obj=complaint, actor=user, role=decision.role, action=VIEW_IDENTITY_ACTION,
                                from_state=complaint.state, to_state=complaint.state)
    return {k: identity_decrypt(getattr(identity, f"{k}_token")) for k in IDENTITY_FIELDS}


def complaint_attachment_open(*, user, attachment):
    """The attachment's file, for a handling supervisor; recorded like the identity."""
    complaint = attachment.complaint
    decision = require(can_open_attachments(user, complaint))
    with transaction.atomic():
        operation_record_append(obj=complaint, actor=user, role=decision.role, action=VIEW_IDENTITY_ACTION,
                                from_state=complaint.state, to_state=complaint.state,
                                comment=_("查看附件:%(name)s") % {"name": attachment.name})
    return attachment.file.open("rb")


def complaint_identities_erase(*, now=None) -> int:
    """Erase the identities (and attachments, which may name the complainant) of
    complaints finished — closed or declined — longer ago than the retention period
    the administrator set (ComplaintPolicy). Returns how many complaints were erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=ComplaintPolicy.current().identity_retention_days)
    finished_before = (
        (ComplaintState.CLOSED, "closed_at__lt"), (ComplaintState.DECLINED, "declined_at__lt"),
    )
    erased = 0
    for state, lookup in finished_before:
        ids = list(Complaint.objects.filter(state=state, identity_erased_at__isnull=True, **{lookup: cutoff})
                   .values_list("pk", flat=True)[:10000])
        if not ids:
            continue
        with transaction.atomic():
            ComplaintIdentity.objects.filter(complaint_id__in=ids).delete()
            for attachment in ComplaintAttachment.objects.filter(complaint_id__in=ids):
                attachment.file.delete(save=False)
                attachment.delete()
            erased += Complaint.objects.filter(pk__in=ids).update(identity_erased_at=now)
    logger.info("complaint identities erased: %d", erased)
    return erased
