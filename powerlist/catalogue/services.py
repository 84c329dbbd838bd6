"""Writes to powers: create, update, adopt from the level above, freeze a confirmed revision;
their responsibility items and accountability circumstances; sub-items."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.catalogue.hooks import power_confirmed, power_content_changed
from powerlist.catalogue.effective import effective_data
from powerlist.catalogue.models import AccountabilityCircumstance, LegalBasis, Power, PowerRevision, ResponsibilityItem
from powerlist.catalogue.responsibility import join_circumstances, join_responsibility_items, stages_for
from powerlist.org.permissions import can_create_in, can_edit_item
from powerlist.review.engine import TransitionConflict
from powerlist.review.models import ReviewAction, ReviewState
from powerlist.review.record import operation_record_append
from powerlist.unique import refuse_duplicate

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
    "conditions",
    "statutory_limit_days",
    "promised_limit_days",
    "exercise_level",
    "service_commitment",
    "work_discipline",
    "fee_basis",
    "remarks",
)
# Changing these in a revision means the power's confirmed risk points need re-grading.
DUTY_FIELDS = ("division", "staff_duties", "conditions", "responsible_leader")
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


def _set_responsibility_items(power, items):
    """Replace the power's responsibility items by `items` ({stage, text, basis, steps})."""
    power.responsibility_items.all().delete()
    created = ResponsibilityItem.objects.bulk_create([
        ResponsibilityItem(power=power, stage=i["stage"], text=(i.get("text") or "").strip(),
                           basis=(i.get("basis") or "").strip(), order=n)
        for n, i in enumerate(items)
    ])
    links = [
        ResponsibilityItem.steps.through(responsibilityitem_id=item.pk, step_id=getattr(step, "pk", step))
        for item, data in zip(created, items)
        for step in data.get("steps") or ()
    ]
    ResponsibilityItem.steps.through.objects.bulk_create(links)


def _set_circumstances(power, circumstances):
    """Replace the power's accountability circumstances ({text, ground}); blank texts are dropped."""
    power.accountability_circumstances.all().delete()
    AccountabilityCircumstance.objects.bulk_create([
        AccountabilityCircumstance(power=power, text=c["text"].strip(), ground=(c.get("ground") or "").strip(),
                                   order=n)
        for n, c in enumerate(c for c in circumstances if (c.get("text") or "").strip())
    ])


def stage_template(category):
    """The responsibility items a new main item of `category` starts with: one per stage
    of the category's template, texts empty for the clerk to fill in."""
    return [{"stage": str(stage), "text": "", "basis": ""} for stage in stages_for(category.code)]


def _check_code_unique(power):
    clash = Power.objects.filter(region_id=power.region_id, code=power.code).exclude(pk=power.pk)
    if clash.exists():
        raise ValidationError({"code": _("本区划内已有事项编码“%(code)s”。") % {"code": power.code}})


def power_create(*, user, department, data, legal_bases=(), source=None, parent=None,
                 responsibility_items=None, circumstances=()):
    """Create a draft power in `department`. `data` maps CONTENT_FIELDS to values.

    With `parent` the power is a sub-item of that main item (same department and
    category; code = the main item's code plus a suffix) and starts without lists of its
    own, inheriting the main item's. A main item given no `responsibility_items` starts
    with its category's stages (stage_template). Raises PermissionDenied unless the user
    is a clerk of the department; ValidationError (per field) on invalid content. Writes
    a 'create' entry in the operation record.
    """
    if parent is not None and not data.get("category"):
        data = {**data, "category": parent.category}
    if responsibility_items is None:
        responsibility_items = [] if parent is not None else stage_template(data["category"])
    division = data.get("division")
    decision = can_create_in(user, department, division_id=division.pk if division else None)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        power = Power(department=department, region_id=department.region_id, created_by=user, source=source,
                      parent=parent)
        for name, value in data.items():
            setattr(power, name, value)
        _check_code_unique(power)
        # The code constraint was checked above with a message naming the field.
        power.full_clean(validate_constraints=False)
        with refuse_duplicate(lambda: _check_code_unique(power)):
            power.save()
        _set_legal_bases(power, legal_bases)
        _set_responsibility_items(power, responsibility_items)
        _set_circumstances(power, circumstances)
        operation_record_append(
            obj=power,
            actor=user,
            role=decision.role,
            action=ReviewAction.CREATE,
            from_state="",
            to_state=ReviewState.DRAFT,
        )
    return power


def power_update(*, user, power, data, legal_bases=None, expected_version=None, responsibility_items=None,
                 circumstances=None):
    """Update a draft's content (and, when given, replace its legal bases, responsibility
    items and accountability circumstances; None leaves a list as it is).

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
        duties_before = join_responsibility_items(locked.responsibility_items.all())
        for name, value in data.items():
            if name in CONTENT_FIELDS:
                setattr(locked, name, value)
        _check_code_unique(locked)
        # The creator may have left (SET_NULL); the code constraint was checked above.
        locked.full_clean(exclude=["created_by"], validate_constraints=False)
        # A saved edit makes every page showing the old content stale, like a transition.
        locked.version += 1
        with refuse_duplicate(lambda: _check_code_unique(locked)):
            locked.save()
        if legal_bases is not None:
            _set_legal_bases(locked, legal_bases)
        if responsibility_items is not None:
            _set_responsibility_items(locked, responsibility_items)
        if circumstances is not None:
            _set_circumstances(locked, circumstances)
        duties_changed = (responsibility_items is not None
                          and join_responsibility_items(responsibility_items) != duties_before)
        if locked.in_force_id and (duties_changed or any(getattr(locked, n) != v for n, v in before.items())):
            power_content_changed(power_ids=[locked.pk], reason=_("事项职责已变更"))
    return locked


def power_snapshot(power) -> dict:
    """The power's own content as plain data (for revisions, diffs and exports): the
    content fields, the main item's code for a sub-item, the legal bases, the
    responsibility items with text (stage, text, basis, the names of their flowchart
    steps) and the accountability circumstances. A sub-item's blanks stay blank here;
    effective.effective_data resolves them against the main item."""
    data = {"parent_code": power.parent.code if power.parent_id else ""}
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
    data["responsibility_items"] = [
        {"stage": i.stage, "text": i.text, "basis": i.basis, "steps": [s.name for s in i.steps.all()]}
        for i in power.responsibility_items.all()
        if i.text
    ]
    data["accountability_circumstances"] = [
        {"text": c.text, "ground": c.ground} for c in power.accountability_circumstances.all()
    ]
    return data


def power_effective_snapshot(power) -> dict:
    """The working copy's effective content: a sub-item's blanks filled from its main item
    (effective.effective_data), with the names it inherited under "inherited"."""
    own = power_snapshot(power)
    return effective_data(own, power_snapshot(power.parent) if power.parent_id else None)


def _has_bases(power):
    return power.legal_bases.exists()


def _has_duties(power):
    return power.responsibility_items.exclude(text="").exists()


def _covered(power, test):
    """The power, its main item (for a sub-item) or every one of its sub-items has it."""
    if test(power) or (power.parent_id and test(power.parent)):
        return True
    subs = list(power.sub_items.all()) if not power.parent_id else []
    return bool(subs) and all(test(sub) for sub in subs)


def power_review_precheck(*, power, action):
    """Review hook: a power goes to review only with what the catalogue must list: a
    legal basis (unless cancelled) and at least one responsibility item with text, its
    own or inherited from the main item (a main item is also covered when each of its
    sub-items has its own). A sub-item is submitted only once its main item left the
    draft (or is in force), and finally confirmed only when its main item is in force or
    in final confirmation. Raises ValidationError listing every problem."""
    problems = []
    main = power.parent if power.parent_id else None
    if action == ReviewAction.SUBMIT:
        if power.disposition != Power.Disposition.CANCEL and not _covered(power, _has_bases):
            problems.append(_("请至少填写一条行使依据后再提交。"))
        if not _covered(power, _has_duties):
            problems.append(_("请至少填写一项责任事项的内容后再提交。"))
        if main is not None and main.state == ReviewState.DRAFT and not main.in_force_id:
            problems.append(_("主项“%(main)s”尚未提交审核:请连同主项一起提交,或先提交主项。") % {"main": main})
    if action in (ReviewAction.CONFIRM_ESTABLISHMENT, ReviewAction.CONFIRM_LEGAL) and main is not None:
        if not main.in_force_id and main.state not in (ReviewState.FINAL_REVIEW, ReviewState.CONFIRMED):
            problems.append(_("主项“%(main)s”尚未进入最终确认,请先确认主项或连同主项一起确认。") % {"main": main})
    if problems:
        raise ValidationError(problems)


def power_freeze_revision(*, power):
    """Called by the review machine inside the confirming transaction: the content
    becomes the revision in force; after the commit the on_power_confirmed handlers run."""
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
    power_confirmed(power_ids=[power.pk])
    return revision


def _lists_of(power):
    """A power's legal bases, responsibility items and circumstances as service input."""
    return {
        "legal_bases": [{"law_name": b.law_name, "article": b.article, "text": b.text}
                        for b in power.legal_bases.all()],
        "responsibility_items": [{"stage": i.stage, "text": i.text, "basis": i.basis}
                                 for i in power.responsibility_items.all()],
        "circumstances": [{"text": c.text, "ground": c.ground} for c in power.accountability_circumstances.all()],
    }


def power_adopt(*, user, department, source, code=None, division=None):
    """Adopt a confirmed main item of the level above into `department`'s catalogue,
    with its confirmed sub-items (not the cancelled ones).

    The shared fields (code, name, category) and the lists (legal bases, responsibility
    items without their flowchart steps, accountability circumstances) are copied; local
    fields start from the source and are edited as usual. A sub-item keeps its suffix
    after the main item's (new) code. Raises ValidationError when the source is not a
    confirmed main item of the parent level, is cancelled (取消), or was adopted already.
    """
    if source.parent_id:
        raise ValidationError(_("子项随主项一起参照,请参照主项“%(main)s”。") % {"main": source.parent})
    if source.state != ReviewState.CONFIRMED and not source.in_force_id:
        raise ValidationError(_("只能参照上级已确认的事项。"))
    if source.disposition == Power.Disposition.CANCEL:
        raise ValidationError(_("上级已取消该事项,不能参照。"))
    region = department.region
    if region.parent_id != source.region_id:
        raise ValidationError(_("只能参照上一级区划的目录。"))
    if Power.objects.filter(department=department, source=source).exists():
        raise ValidationError(_("本部门已参照过该事项。"))
    data = {name: getattr(source, name) for name in CONTENT_FIELDS}
    data["division"] = division or user.division or department.divisions.first()
    if code:
        data["code"] = code
    with transaction.atomic():
        main = power_create(user=user, department=department, data=data, source=source, **_lists_of(source))
        subs = source.sub_items.filter(in_force__isnull=False).exclude(disposition=Power.Disposition.CANCEL)
        for sub in subs.prefetch_related("legal_bases", "responsibility_items", "accountability_circumstances"):
            sub_data = {name: getattr(sub, name) for name in CONTENT_FIELDS}
            sub_data.update(division=data["division"], code=main.code + sub.code[len(source.code):])
            power_create(user=user, department=department, data=sub_data, source=sub, parent=main,
                         **_lists_of(sub))
    return main


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
    old_duties = join_responsibility_items([(i["stage"], i["text"]) for i in old.get("responsibility_items", [])])
    new_duties = join_responsibility_items([(i["stage"], i["text"]) for i in new.get("responsibility_items", [])])
    if old_duties != new_duties:
        changes.append((_("责任事项"), old_duties, new_duties))
    old_cases = join_circumstances([c["text"] for c in old.get("accountability_circumstances", [])])
    new_cases = join_circumstances([c["text"] for c in new.get("accountability_circumstances", [])])
    if old_cases != new_cases:
        changes.append((_("追责情形"), old_cases, new_cases))
    return changes
