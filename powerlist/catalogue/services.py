"""Writes to powers: create, update, adopt from the level above, freeze a confirmed revision."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.catalogue.hooks import power_content_changed
from powerlist.catalogue.models import LegalBasis, Power, PowerRevision
from powerlist.org.permissions import can_create_in, can_edit_item
from powerlist.review.engine import TransitionConflict
from powerlist.review.models import ReviewAction, ReviewState
from powerlist.review.record import operation_record_append

# The catalogue fields a clerk fills in; also what a revision freezes and a diff compares.
CONTENT_FIELDS = (
    "code",
    "name",
    "category",
    "division",
    "disposition",
    "disposition_reason",
    "responsible_leader",
    "staff_duties",
    "duty",
    "conditions",
    "statutory_limit_days",
    "promised_limit_days",
    "exercise_level",
    "service_commitment",
    "work_discipline",
    "accountability",
    "fee_basis",
    "remarks",
)
# Changing these in a revision means the power's confirmed risk points need re-grading.
DUTY_FIELDS = ("division", "staff_duties", "duty", "conditions", "responsible_leader")
# Fields that national guidance keeps identical across levels (一事项一名称).
SHARED_ACROSS_LEVELS = ("code", "name", "category")


def _set_legal_bases(power, legal_bases):
    power.legal_bases.all().delete()
    LegalBasis.objects.bulk_create(
        [
            LegalBasis(
                power=power,
                law_name=b["law_name"].strip(),
                article=(b.get("article") or "").strip(),
                text=(b.get("text") or "").strip(),
                order=i,
            )
            for i, b in enumerate(legal_bases)
            if (b.get("law_name") or "").strip()
        ]
    )


def _check_code_unique(power):
    clash = Power.objects.filter(region_id=power.region_id, code=power.code).exclude(pk=power.pk)
    if clash.exists():
        raise ValidationError({"code": _("本区划内已有事项编码“%(code)s”。") % {"code": power.code}})


def power_create(*, user, department, data, legal_bases=(), source=None):
    """Create a draft power in `department`. `data` maps CONTENT_FIELDS to values.

    Raises PermissionDenied unless the user is a clerk of the department;
    ValidationError (per field) on invalid content. Writes a 'create' log entry.
    """
    decision = can_create_in(user, department)
    if not decision:
        raise PermissionDenied(decision.reason)
    if user.division_id and data.get("division") and data["division"].pk != user.division_id:
        raise PermissionDenied(_("只能为本处(科、室)新增事项。"))
    with transaction.atomic():
        power = Power(department=department, region_id=department.region_id, created_by=user, source=source)
        for name, value in data.items():
            setattr(power, name, value)
        _check_code_unique(power)
        # The code constraint was checked above with a message naming the field.
        power.full_clean(validate_constraints=False)
        power.save()
        _set_legal_bases(power, legal_bases)
        operation_record_append(
            obj=power,
            actor=user,
            role=decision.role,
            action=ReviewAction.CREATE,
            from_state="",
            to_state=ReviewState.DRAFT,
        )
    return power


def power_update(*, user, power, data, legal_bases=None, expected_version=None):
    """Update a draft's content (and, when given, replace its legal bases).

    Raises PermissionDenied unless a clerk in scope edits a draft; ValidationError on
    invalid content or when the page was stale.
    """
    with transaction.atomic():
        locked = Power.objects.select_for_update().select_related("region").get(pk=power.pk)
        decision = can_edit_item(user, locked)
        if not decision:
            raise PermissionDenied(decision.reason)
        if expected_version is not None and locked.version != int(expected_version):
            raise TransitionConflict(_("该事项已被他人修改,请刷新页面后再编辑。"))
        before = {name: getattr(locked, name) for name in DUTY_FIELDS}
        for name, value in data.items():
            if name in CONTENT_FIELDS:
                setattr(locked, name, value)
        _check_code_unique(locked)
        # The creator may have left (SET_NULL); the code constraint was checked above.
        locked.full_clean(exclude=["created_by"], validate_constraints=False)
        # A saved edit makes every page showing the old content stale, like a transition.
        locked.version += 1
        locked.save()
        if legal_bases is not None:
            _set_legal_bases(locked, legal_bases)
        if locked.in_force_id and any(getattr(locked, n) != v for n, v in before.items()):
            power_content_changed(power_ids=[locked.pk], reason=_("事项职责已变更"))
    return locked


def power_snapshot(power) -> dict:
    """The power's content as plain data (for revisions, diffs and exports)."""
    data = {}
    for name in CONTENT_FIELDS:
        value = getattr(power, name)
        if hasattr(value, "pk"):
            data[name] = str(value)
            data[f"{name}_id"] = value.pk
        else:
            data[name] = value
    data["legal_bases"] = [
        {"law_name": b.law_name, "article": b.article, "text": b.text} for b in power.legal_bases.all()
    ]
    return data


def power_review_precheck(*, power, action):
    """Review hook: a power goes to review only with what the catalogue must list
    (行使依据, 行使职责). Raises ValidationError listing what is missing."""
    if action != ReviewAction.SUBMIT:
        return
    problems = []
    if power.disposition != Power.Disposition.CANCEL and not power.legal_bases.exists():
        problems.append(_("请至少填写一条行使依据后再提交。"))
    if not (power.duty or "").strip():
        problems.append(_("请填写“行使职责”后再提交。"))
    if problems:
        raise ValidationError(problems)


def power_freeze_revision(*, power):
    """Called by the review machine inside the confirming transaction: the content
    becomes the revision in force."""
    revision = PowerRevision.objects.create(
        power=power,
        number=power.revision,
        name=power.name,
        category_id=power.category_id,
        disposition=power.disposition,
        data=power_snapshot(power),
        confirmed_at=timezone.now(),
    )
    Power.objects.filter(pk=power.pk).update(in_force=revision)
    power.in_force = revision
    return revision


def power_adopt(*, user, department, source, code=None, division=None):
    """Adopt a confirmed item of the level above into `department`'s catalogue.

    The shared fields (code, name, category, legal bases) are copied; local fields
    start from the source and are edited as usual. Raises ValidationError when the
    source is not a confirmed item of the parent level.
    """
    if source.state != ReviewState.CONFIRMED and not source.in_force_id:
        raise ValidationError(_("只能参照上级已确认的事项。"))
    region = department.region
    if region.parent_id != source.region_id:
        raise ValidationError(_("只能参照上一级区划的目录。"))
    if Power.objects.filter(department=department, source=source).exists():
        raise ValidationError(_("本部门已参照过该事项。"))
    data = {name: getattr(source, name) for name in CONTENT_FIELDS}
    data["division"] = division or user.division or department.divisions.first()
    if code:
        data["code"] = code
    bases = [{"law_name": b.law_name, "article": b.article, "text": b.text} for b in source.legal_bases.all()]
    return power_create(user=user, department=department, data=data, legal_bases=bases, source=source)


def power_diff(*, old: dict, new: dict) -> list:
    """Field-by-field differences between two snapshots: [(label, old, new)]."""
    changes = []
    for name in CONTENT_FIELDS:
        if old.get(name) != new.get(name):
            label = Power._meta.get_field(name).verbose_name
            changes.append((str(label), old.get(name), new.get(name)))
    old_bases = [f"{b['law_name']}{b.get('article', '')}" for b in old.get("legal_bases", [])]
    new_bases = [f"{b['law_name']}{b.get('article', '')}" for b in new.get("legal_bases", [])]
    if old_bases != new_bases or old.get("legal_bases") != new.get("legal_bases"):
        changes.append((_("行使依据"), "\n".join(old_bases), "\n".join(new_bases)))
    return changes
