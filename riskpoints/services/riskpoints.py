"""Writes to risk points and their countermeasures, and the review-machine hooks."""

import os
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.errors import Conflict
from powerlist.models import Flowchart, Power, ReviewAction, ReviewState
from powerlist.review.record import operation_record_append
from powerlist.unique import refuse_duplicate
from riskpoints.models import Countermeasure, ExpertAssignment, RiskLevel, RiskPoint
from riskpoints.permissions import can_create_riskpoint, can_edit_riskpoint, can_update_measure_progress
from riskpoints.services.grading import riskpoint_suggest_level

# What a clerk fills in; also what a submission snapshot and the export carry.
CONTENT_FIELDS = (
    "stage",
    "post",
    "post_name",
    "step",
    "source",
    "description",
    "manifestation",
    "likelihood",
    "impact",
    "level",
    "level_reason",
    "monitoring_indicator",
    "responsible_person",
    "responsible_leader",
    "next_review_date",
)
MEASURE_FIELDS = ("kind", "text", "responsible_unit", "responsible_person", "deadline")

# Accepted attachments: extension → the signatures its content may start with.
ATTACHMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".docx": (b"PK\x03\x04",),
}


def _validate(riskpoint):
    """The model's field checks plus: the step and post belong to the power, a level
    other than the rule's suggestion carries a reason. All errors at once, per field."""
    errors = {}
    try:
        riskpoint.full_clean(exclude=["suggested_level", "created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    power = riskpoint.power
    if riskpoint.step_id and riskpoint.step.flowchart.power_id != power.pk:
        errors.setdefault("step", []).append(_("所选流程环节不属于该事项的流程图。"))
    if riskpoint.post_id and riskpoint.post.department_id != power.department_id:
        errors.setdefault("post", []).append(_("所选岗位不属于该事项的实施部门。"))
    if not riskpoint.post_id and not (riskpoint.post_name or "").strip():
        errors.setdefault("post_name", []).append(_("请选择岗位或填写岗位名称。"))
    suggested, reason = riskpoint_suggest_level(
        power=power, likelihood=riskpoint.likelihood, impact=riskpoint.impact
    )
    riskpoint.suggested_level = suggested
    if suggested and riskpoint.level and riskpoint.level != suggested and not riskpoint.level_reason.strip():
        errors.setdefault("level_reason", []).append(_("所选等级与规则建议的“%(s)s”(%(r)s)不同,请填写定级理由。") % {
            "s": RiskLevel(suggested).label, "r": reason,
        })
    if not suggested and riskpoint.level and not riskpoint.level_reason.strip():
        errors.setdefault("level_reason", []).append(_("未填写评分时请说明定级理由。"))
    if errors:
        raise ValidationError(errors)


def riskpoint_create(*, user, power, data, log=True):
    """Register a draft risk point for `power`. `data` maps CONTENT_FIELDS (and
    optionally "number") to values. Raises PermissionDenied unless a clerk of the
    power's department (division) acts; ValidationError per field, also for the loser
    of two creations with the same number at once. The next free number is taken
    under a lock on the power's row, so points created at once are numbered 1, 2, 3 …"""
    decision = can_create_riskpoint(user, power)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        # Creations for one power queue here, so each sees the others' numbers.
        list(Power.objects.select_for_update().filter(pk=power.pk).values_list("pk", flat=True))
        number = data.get("number") or (
            (RiskPoint.objects.filter(power=power).aggregate(m=Max("number"))["m"] or 0) + 1
        )
        riskpoint = RiskPoint(
            power=power, region_id=power.region_id, department_id=power.department_id,
            division_id=power.division_id, number=number, created_by=user,
        )
        for name in CONTENT_FIELDS:
            if name in data:
                setattr(riskpoint, name, "" if data[name] is None and name in _TEXT else data[name])
        _check_number_free(power, number)
        _validate(riskpoint)
        with refuse_duplicate(lambda: _check_number_free(power, number)):
            riskpoint.save()
        if log:
            operation_record_append(obj=riskpoint, actor=user, role=decision.role, action=ReviewAction.CREATE,
                              from_state="", to_state=ReviewState.DRAFT)
    return riskpoint


def _check_number_free(power, number):
    if RiskPoint.objects.filter(power=power, number=number).exists():
        raise ValidationError({"number": _("该事项已有序号为 %(n)s 的风险点。") % {"n": number}})


_TEXT = {"post_name", "manifestation", "level_reason", "monitoring_indicator"}


def riskpoint_update(*, user, riskpoint, data, expected_version=None):
    """Change a draft's content. Raises PermissionDenied (not a clerk in scope, not a
    draft), Conflict when `expected_version` is not the current one (a stale page: 409
    in the API), ValidationError (invalid content)."""
    with transaction.atomic():
        locked = RiskPoint.objects.select_for_update().select_related("power", "region").get(pk=riskpoint.pk)
        decision = can_edit_riskpoint(user, locked)
        if not decision:
            raise PermissionDenied(decision.reason)
        if expected_version is not None and locked.version != int(expected_version):
            raise Conflict(_("该风险点已被他人修改,请刷新页面后再编辑。"))
        for name in CONTENT_FIELDS:
            if name in data:
                value = data[name]
                setattr(locked, name, "" if value is None and name in _TEXT else value)
        _validate(locked)
        locked.save()
    return locked


def riskpoint_delete(*, user, riskpoint):
    """Delete a draft that was never submitted (a submitted one stays, for the log)."""
    decision = can_edit_riskpoint(user, riskpoint)
    if not decision:
        raise PermissionDenied(decision.reason)
    if riskpoint.submitted_at:
        raise ValidationError(_("已提交过审核的风险点不能删除,可修改后重新提交。"))
    riskpoint.delete()


# Inside a .docx (an OOXML zip): the parts a Word document must have, and what it must
# never carry — macros, or an executable under any name.
DOCX_REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
DOCX_MAX_PARTS = 2000
DOCX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
EXECUTABLE_EXTENSIONS = (".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".msi", ".ps1", ".vbs", ".js", ".jar",
                         ".sh", ".elf", ".so", ".bin")
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!")


def _docx_problem(upload):
    """Why the .docx is not a plain Word document, or "" when it is."""
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > DOCX_MAX_PARTS or sum(i.file_size for i in infos) > DOCX_MAX_UNPACKED_BYTES:
                return _("文件结构异常(部件过多或解压后过大)。")
            names = {i.filename for i in infos}
            if not all(part in names for part in DOCX_REQUIRED_PARTS):
                return _("不是有效的 Word 文档(缺少文档正文)。")
            for info in infos:
                lower = info.filename.lower()
                if lower.endswith("vbaproject.bin"):
                    return _("文档含有宏,不能上传。")
                if lower.endswith(EXECUTABLE_EXTENSIONS):
                    return _("文档内含可执行文件“%(name)s”,不能上传。") % {"name": info.filename[:100]}
                with archive.open(info) as part:
                    if part.read(4).startswith(EXECUTABLE_SIGNATURES):
                        return _("文档内含可执行文件“%(name)s”,不能上传。") % {"name": info.filename[:100]}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return _("不是有效的 Word 文档(文件已损坏)。")
    finally:
        upload.seek(0)
    return ""


def attachment_validate(upload):
    """Refuse anything but a PDF or Word file whose content matches its extension,
    within settings.UPLOAD_MAX_BYTES; a .docx must also be a plain Word document inside
    (its required parts, no macros, no executable under any name). Raises ValidationError."""
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in ATTACHMENT_SIGNATURES:
        raise ValidationError({"attachment": _("附件只能是 PDF 或 Word 文件(.pdf、.doc、.docx)。")})
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"attachment": _("附件不能超过 %(mb)s MB。") % {
            "mb": round(settings.UPLOAD_MAX_BYTES / 1024 / 1024, 1)}})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in ATTACHMENT_SIGNATURES[ext]):
        raise ValidationError({"attachment": _("附件内容与文件类型“%(ext)s”不符。") % {"ext": ext}})
    if ext == ".docx" and (problem := _docx_problem(upload)):
        raise ValidationError({"attachment": problem})
    return ext


def _store_attachment(measure, upload):
    ext = attachment_validate(upload)
    measure.attachment_name = os.path.basename(upload.name)[:200]
    # The stored name is ours; the user's file name is kept only as a label.
    measure.attachment.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)


def _editable_riskpoint(user, riskpoint):
    locked = RiskPoint.objects.select_for_update().get(pk=riskpoint.pk)
    decision = can_edit_riskpoint(user, locked)
    if not decision:
        raise PermissionDenied(decision.reason)
    return locked


def countermeasure_create(*, user, riskpoint, data, attachment=None):
    """Add a countermeasure to a draft risk point. Raises PermissionDenied / ValidationError."""
    with transaction.atomic():
        locked = _editable_riskpoint(user, riskpoint)
        number = data.get("number") or (
            (locked.countermeasures.aggregate(m=Max("number"))["m"] or 0) + 1
        )
        measure = Countermeasure(riskpoint=locked, number=number)
        for name in MEASURE_FIELDS:
            if name in data:
                setattr(measure, name, data[name])
        measure.full_clean(exclude=["attachment"])
        if attachment:
            _store_attachment(measure, attachment)
        measure.save()
    return measure


def countermeasure_update(*, user, measure, data, attachment=None, remove_attachment=False):
    with transaction.atomic():
        _editable_riskpoint(user, measure.riskpoint)
        for name in MEASURE_FIELDS:
            if name in data:
                setattr(measure, name, data[name])
        measure.full_clean(exclude=["attachment"])
        if remove_attachment and measure.attachment:
            measure.attachment.delete(save=False)
            measure.attachment_name = ""
        if attachment:
            _store_attachment(measure, attachment)
        measure.save()
    return measure


def countermeasure_delete(*, user, measure):
    with transaction.atomic():
        _editable_riskpoint(user, measure.riskpoint)
        if measure.attachment:
            measure.attachment.delete(save=False)
        measure.delete()


def countermeasure_mark_in_force(*, user, measure, since=None):
    """Record that a measure is now in force (any state of its risk point)."""
    decision = can_update_measure_progress(user, measure.riskpoint)
    if not decision:
        raise PermissionDenied(decision.reason)
    since = since or timezone.localdate()
    Countermeasure.objects.filter(pk=measure.pk).update(
        state=Countermeasure.State.IN_FORCE, in_force_since=since, updated_at=timezone.now()
    )
    measure.state, measure.in_force_since = Countermeasure.State.IN_FORCE, since
    return measure


def riskpoint_review_precheck(*, riskpoint, action):
    """Review-machine hook. Submitting needs at least one countermeasure, and a high
    risk point needs a monitoring indicator; the office approves (confirms) only after
    at least one assigned expert answered and none of this round is still open."""
    if action == ReviewAction.SUBMIT:
        errors = []
        if not riskpoint.countermeasures.exists():
            errors.append(_("请至少登记一条防范措施后再提交。"))
        if riskpoint.level == RiskLevel.HIGH and not riskpoint.monitoring_indicator.strip():
            errors.append(_("高等级风险点须填写监测指标。"))
        if errors:
            raise ValidationError(errors)
    if action == ReviewAction.APPROVE and riskpoint.state == ReviewState.OFFICE_REVIEW:
        round_ = ExpertAssignment.objects.filter(riskpoint=riskpoint, round_version=riskpoint.version)
        if not round_.exists():
            raise ValidationError(_("确认前须组织专家(或成员单位负责人)评审。"))
        if round_.filter(verdict="").exists():
            raise ValidationError(_("还有专家未提出评审意见,暂不能确认。"))


def riskpoint_snapshot(riskpoint) -> dict:
    data = {}
    for name in CONTENT_FIELDS:
        value = getattr(riskpoint, name)
        data[name] = str(value) if hasattr(value, "pk") or hasattr(value, "isoformat") else value
    data["countermeasures"] = [
        {
            "number": m.number, "kind": m.kind, "text": m.text, "responsible_unit": m.responsible_unit,
            "responsible_person": m.responsible_person, "deadline": m.deadline.isoformat(),
            "attachment": m.attachment_name,
        }
        for m in riskpoint.countermeasures.all()
    ]
    return data


def _measure_lines(snapshot):
    return "\n".join(
        f"{m['number']}. {Countermeasure.Kind(m['kind']).label}:{m['text']}({m['responsible_unit']},{m['deadline']})"
        for m in snapshot.get("countermeasures", [])
    )


def riskpoint_diff(*, old: dict, new: dict) -> list:
    """Field-by-field differences between two snapshots, measures as one row: [(label, old, new)]."""
    changes = []
    for name in CONTENT_FIELDS:
        if old.get(name) != new.get(name):
            changes.append((str(RiskPoint._meta.get_field(name).verbose_name), old.get(name), new.get(name)))
    if _measure_lines(old) != _measure_lines(new):
        changes.append((_("防范措施"), _measure_lines(old), _measure_lines(new)))
    return changes


def riskpoint_on_confirmed(*, riskpoint):
    """Review-machine hook (inside the confirming transaction): remember which power
    and flowchart revisions the grading was confirmed against; clear the flag."""
    power = riskpoint.power
    flowchart_revision = Flowchart.objects.filter(power_id=power.pk).values_list("revision", flat=True).first()
    RiskPoint.objects.filter(pk=riskpoint.pk).update(
        confirmed_power_revision=power.revision,
        confirmed_flowchart_revision=flowchart_revision,
        regrading_required=False,
        regrading_note="",
    )


def riskpoints_flag_for_regrading(*, power, reason=""):
    """Mark the power's confirmed risk points as needing re-grading (its flowchart,
    posts or duties changed). Called by powerlist services through their hook; returns
    how many points were flagged."""
    return RiskPoint.objects.filter(power=power, state=ReviewState.CONFIRMED).update(
        regrading_required=True, regrading_note=(reason or _("事项的流程图、岗位或职责已变更"))[:200]
    )


def riskpoints_flag_fired(*, riskpoints, reason):
    """Mark the confirmed risk points among `riskpoints` (a queryset, so the caller's
    filter stays one SQL statement) as needing re-grading because an alert, complaint or
    inspection finding showed the risk happening. Called by supervision (a higher app);
    returns how many points were flagged."""
    return riskpoints.filter(state=ReviewState.CONFIRMED).update(regrading_required=True, regrading_note=reason[:200])


def riskpoints_flag_powers_for_regrading(*, power_ids, reason):
    """The handler of powerlist's power_content_changed hook (registered in
    RiskpointsConfig.ready): flags the confirmed risk points of each power."""
    for power in Power.objects.filter(pk__in=power_ids):
        riskpoints_flag_for_regrading(power=power, reason=reason)
