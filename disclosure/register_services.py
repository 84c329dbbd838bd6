"""Every write of the register: filing and editing non-disclosure entries and
adjustment notes (then the shared flow engine carries them: submit, record, return,
withdraw, lapse), and the office's retraction of a power published in error."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from powerlist.org.permissions import require
from powerlist.org.roles import Role
from powerlist.models import Department, Power
from powerlist.review import outbox
from powerlist.review.engine import TransitionConflict, flow_apply
from powerlist.review.models import ReviewAction
from powerlist.review.record import operation_record_append

from disclosure.models import PublishedPower
from disclosure.register_selectors import deferral_due_q, power_was_published
from disclosure.permissions import can_edit_filed, can_file_for, can_file_note, can_retract
from disclosure.register import (
    AdjustmentItem, AdjustmentNote, NonDisclosure, RegisterAction, Retraction, RetractionAction,
)

NON_DISCLOSURE_FIELDS = ("kind", "ground", "legal_basis", "reason", "expected_date")
NOTE_FIELDS = ("title", "reason", "ground", "effective_date")
ITEMS_MAX = 200
DEFERRAL_DUE_LABEL = gettext_lazy("到期")


def _clean_non_disclosure(data):
    data = {k: data.get(k) for k in NON_DISCLOSURE_FIELDS}
    for name in ("legal_basis", "reason"):
        data[name] = (data[name] or "").strip()
    errors = {}
    if not data["legal_basis"]:
        errors["legal_basis"] = _("请填写不予公开的法律依据(法律法规名称及条款)。")
    if not data["reason"]:
        errors["reason"] = _("请说明不予公开的理由。")
    if data["kind"] == NonDisclosure.Kind.DEFERRED and not data["expected_date"]:
        errors["expected_date"] = _("暂缓公开须填写预计公开日期。")
    if data["kind"] == NonDisclosure.Kind.WITHHELD:
        data["expected_date"] = None
    if errors:
        raise ValidationError(errors)
    return data


def non_disclosure_create(*, user, power, data) -> NonDisclosure:
    """File a draft entry for `power`. PermissionDenied unless a clerk of its department
    (division); ValidationError for a missing ground, reason or (deferred) date, or when
    the power already has a live entry. Writes an operation-record entry."""
    decision = require(can_file_for(user, power))
    data = _clean_non_disclosure(data)
    try:
        with transaction.atomic():
            record = NonDisclosure.objects.create(
                power=power, region_id=power.region_id, department_id=power.department_id,
                division_id=power.division_id, created_by=user, **data)
            operation_record_append(obj=record, actor=user, role=decision.role, action=ReviewAction.CREATE,
                                    from_state="", to_state=record.state)
    except IntegrityError:
        raise ValidationError({"power": _("该事项已有未失效的不予公开登记,请在原登记上办理。")}) from None
    return record


def _locked_editable(user, obj, expected_version):
    require(can_edit_filed(user, obj))
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if (expected_version is not None and locked.version != expected_version) or locked.state != obj.state:
        raise TransitionConflict(_("该登记已被他人处理,请刷新页面后再操作。"))
    return locked


@transaction.atomic
def non_disclosure_update(*, user, record, data, expected_version=None) -> NonDisclosure:
    """Edit a draft or returned entry (same rules as creating it)."""
    locked = _locked_editable(user, record, expected_version)
    data = _clean_non_disclosure(data)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(update_fields=[*data, "version"])
    return locked


def _clean_note(data, items, department):
    data = {k: data.get(k) for k in NOTE_FIELDS}
    for name in ("title", "reason", "ground"):
        data[name] = (data[name] or "").strip()
    errors = {name: _("此项必填。") for name in NOTE_FIELDS if not data[name]}
    items = [i for i in items if (i.get("code") or "").strip() or (i.get("name") or "").strip()]
    if not items:
        errors["__all__"] = _("请至少列出一项受调整的事项。")
    if len(items) > ITEMS_MAX:
        errors["__all__"] = _("一份调整说明最多列 %(n)s 项。") % {"n": ITEMS_MAX}
    if errors:
        raise ValidationError(errors)
    codes = {(i.get("code") or "").strip() for i in items}
    powers = {p.code: p for p in Power.objects.filter(department=department, code__in=codes)}
    made, problems = [], []
    for n, item in enumerate(items, start=1):
        change, code = item.get("change"), (item.get("code") or "").strip()
        power = powers.get(code)
        if change != AdjustmentItem.Change.ADDED and power is None:
            problems.append(_("第%(n)s项:本部门没有编码为“%(code)s”的事项。") % {"n": n, "code": code})
            continue
        name = (item.get("name") or "").strip() or (power.name if power else "")
        if not code or not name:
            problems.append(_("第%(n)s项:请填写事项编码和名称。") % {"n": n})
            continue
        new_department = item.get("new_department")
        if change == AdjustmentItem.Change.MOVED and new_department is None:
            problems.append(_("第%(n)s项:划转须写明划转至哪个部门。") % {"n": n})
            continue
        made.append(AdjustmentItem(order=n, change=change, power=power, code=code, name=name,
                                   detail=(item.get("detail") or "").strip(),
                                   new_department=new_department if change == AdjustmentItem.Change.MOVED else None,
                                   new_code=(item.get("new_code") or "").strip()
                                   if change == AdjustmentItem.Change.MOVED else ""))
    if problems:
        raise ValidationError({"__all__": problems})
    return data, made


@transaction.atomic
def adjustment_note_create(*, user, department, data, items) -> AdjustmentNote:
    """File a draft adjustment note for `department` naming the powers affected
    (`items`: dicts change, code, name, detail, new_department, new_code). A cancelled,
    moved or changed power must be one of the department's; a moved one names its new
    department. PermissionDenied unless a clerk of `department`; ValidationError
    otherwise, nothing saved."""
    decision = require(can_file_note(user, department))
    data, made = _clean_note(data, items, department)
    note = AdjustmentNote.objects.create(region_id=department.region_id, department=department,
                                         division_id=user.division_id, created_by=user, **data)
    for item in made:
        item.note = note
    AdjustmentItem.objects.bulk_create(made)
    operation_record_append(obj=note, actor=user, role=decision.role, action=ReviewAction.CREATE,
                            from_state="", to_state=note.state)
    return note


@transaction.atomic
def adjustment_note_update(*, user, note, data, items, expected_version=None) -> AdjustmentNote:
    """Edit a draft or returned note; its items are replaced by `items`."""
    locked = _locked_editable(user, note, expected_version)
    data, made = _clean_note(data, items, Department.objects.get(pk=locked.department_id))
    for name, value in data.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(update_fields=[*data, "version"])
    locked.items.all().delete()
    for item in made:
        item.note = locked
    AdjustmentItem.objects.bulk_create(made)
    return locked


@transaction.atomic
def power_retract(*, user, power, explanation) -> Retraction:
    """The office retracts a power published in error: from the commit on, every
    published version of it answers 410 with `explanation`, and it leaves search and
    browsing. PermissionDenied unless the office reviewer of the power's region;
    ValidationError when the explanation is empty, the power was never published, or
    it was retracted already. Goes through the engine (recorded, one entry)."""
    require(can_retract(user, power))
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": _("请向公众说明撤回的原因。")})
    if not power_was_published(power.pk):
        raise ValidationError(_("该事项从未公开,无需撤回。"))
    if Retraction.objects.filter(power=power).exists():
        raise ValidationError(_("该事项已撤回公开。"))
    retraction = Retraction.objects.create(power=power, region_id=power.region_id,
                                           department_id=power.department_id, explanation=explanation,
                                           created_by=user)
    return flow_apply(user=user, obj=retraction, action=RetractionAction.RETRACT, comment=explanation)


# Thin entry points onto the engine, so `grep register_` finds every caller.

def register_submit(*, user, obj, expected_version=None):
    return flow_apply(user=user, obj=obj, action=RegisterAction.SUBMIT, expected_version=expected_version)


def register_record(*, user, obj, comment="", expected_version=None):
    """The office reviews and records (审核备案) the entry or note."""
    return flow_apply(user=user, obj=obj, action=RegisterAction.RECORD, comment=comment,
                      expected_version=expected_version)


def register_return(*, user, obj, comment, expected_version=None):
    return flow_apply(user=user, obj=obj, action=RegisterAction.RETURN, comment=comment,
                      expected_version=expected_version)


def register_lapse(*, user, obj, comment, expected_version=None):
    """The ground ended: the power is disclosed again from the next publication."""
    return flow_apply(user=user, obj=obj, action=RegisterAction.LAPSE, comment=comment,
                      expected_version=expected_version)


def public_search_sync(*, power_id):
    """Bring the public search table in line with the register for one power: its
    entries go when it is withheld or retracted, and come back (from its current
    published rows) when the entry lapses. Runs in the engine's transaction."""
    from disclosure.register_selectors import public_hidden_q
    from disclosure.search_models import PublicSearchEntry, search_entries
    from disclosure.snapshot import snapshot_search

    PublicSearchEntry.objects.filter(published__power_id=power_id).delete()
    rows = list(PublishedPower.objects.filter(power_id=power_id, is_current=True).exclude(public_hidden_q()))
    if rows:
        PublicSearchEntry.objects.bulk_create(search_entries(rows, [snapshot_search(r.data)[1] for r in rows]))


# ---------------------------------------------------------------- deferrals falling due


def deferrals_due_notify(*, today=None) -> int:
    """Tell the department's clerks and the region's office reviewers, once, that a
    recorded deferral reached its expected disclosure date: the power stays out of the
    public until someone decides (lapse the entry, so the next publication discloses it,
    or file a new entry with a new date and ground); nothing is disclosed by the date
    alone, since the ground may still hold. Run daily by beat (`disclosure.deferrals_due`).
    Rows are claimed with SKIP LOCKED, so two workers never remind twice; the notices go
    through the review outbox (outbox.notice_roles, from the portal itself), after the
    commit, one digest per recipient. Returns the number of entries."""
    today = today or timezone.localdate()
    with transaction.atomic(), outbox.collecting(), translation.override(settings.LANGUAGE_CODE):
        entries = list(
            NonDisclosure.objects.filter(deferral_due_q(today), due_notified_on__isnull=True)
            .select_related("power").select_for_update(skip_locked=True, of=("self",))
            .order_by("expected_date", "pk"))
        if not entries:
            return 0
        NonDisclosure.objects.filter(pk__in=[e.pk for e in entries]).update(due_notified_on=today)
        outbox.notice_roles(
            objs=entries, actor=None, roles=(Role.CLERK, Role.OFFICE_REVIEWER), action_label=DEFERRAL_DUE_LABEL,
            comments=[_("预计公开日期 %(date)s 已到,请决定解除登记(下次公开时公开)或重新登记。")
                      % {"date": e.expected_date.isoformat()} for e in entries])
    return len(entries)
