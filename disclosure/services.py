"""Every write of the disclosure app: publishing a department's confirmed items, and the
automatic publication a region may switch on."""

from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.models import Department, Power
from powerlist.review.models import ReviewAction
from powerlist.review.record import operation_record_append

from disclosure.cache import public_cache_invalidate
from disclosure.diff import snapshot_diff
from disclosure.models import DisclosureSettings, Publication, PublishedPower
from disclosure.opendata.services import datasets_schedule
from disclosure.pdf.services import publication_files_plan
from disclosure.permissions import can_publish
from disclosure.search_models import PublicSearchEntry, search_entries
from disclosure.register_selectors import retracted_power_ids, withheld_power_ids
from disclosure.snapshot import department_snapshots, snapshot_digest, snapshot_search

NOTE_MAX_LENGTH = 2000


def current_publication(department):
    return Publication.objects.filter(department=department, state=Publication.State.CURRENT).first()


def publication_preview(*, department) -> dict:
    """What publishing now would change against the current publication:
    {"added": [data], "changed": [{"data", "changes"}], "cancelled": [data], "withheld": [data],
    "unchanged": n, "snapshots": [(power, data)]}. "cancelled" holds powers whose disposition
    became 取消 and powers no longer in force; "withheld" those published before that the
    register now withholds or the office retracted (left out, not counted as cancelled).
    Reads only; no permission needed to compute it."""
    snapshots = department_snapshots(department)
    current = current_publication(department)
    old = {}
    if current is not None:
        old = {row.power_id: row for row in current.powers.only("power_id", "digest", "data", "status")}
    added, changed, cancelled, unchanged = [], [], [], 0
    for power, data in snapshots:
        before = old.pop(power.pk, None)
        if before is None:
            added.append(data)
        elif before.digest == snapshot_digest(data):
            unchanged += 1
        else:
            changes = snapshot_diff(before.data, data)
            if data["disposition"] == Power.Disposition.CANCEL and before.data["disposition"] != data["disposition"]:
                cancelled.append(data)
            else:
                changed.append({"data": data, "changes": changes})
    hidden = set(withheld_power_ids().filter(power_id__in=list(old)).values_list("power_id", flat=True))
    hidden |= set(retracted_power_ids().filter(power_id__in=list(old)).values_list("power_id", flat=True))
    withheld = [row.data for power_id, row in old.items() if power_id in hidden]
    cancelled.extend(row.data for power_id, row in old.items() if power_id not in hidden)
    return {"added": added, "changed": changed, "cancelled": cancelled, "withheld": withheld, "unchanged": unchanged,
            "snapshots": snapshots, "current": current}


@transaction.atomic
def _publish(*, department, user, note, role):
    # One publisher per department at a time: numbers and versions stay gapless.
    Department.objects.select_for_update().filter(pk=department.pk).first()
    preview = publication_preview(department=department)
    if not preview["snapshots"] and preview["current"] is None:
        raise ValidationError(_("本部门还没有已确认的事项,无可公开的内容。"))
    current = preview["current"]
    number = (Publication.objects.filter(department=department).aggregate(n=Max("number"))["n"] or 0) + 1
    publication = Publication.objects.create(
        department=department, region_id=department.region_id, number=number, published_at=timezone.now(),
        publisher=user, note=note, added_count=len(preview["added"]), changed_count=len(preview["changed"]),
        cancelled_count=len(preview["cancelled"]), power_count=len(preview["snapshots"]),
    )
    ids = [power.pk for power, _data in preview["snapshots"]]
    last = dict(
        PublishedPower.objects.filter(power_id__in=ids).values("power_id").annotate(v=Max("version"))
        .values_list("power_id", "v")
    )
    digests = {}
    if current is not None:
        digests = dict(current.powers.values_list("power_id", "digest"))
    rows, tokens = [], []
    for power, data in preview["snapshots"]:
        digest = snapshot_digest(data)
        version = last.get(power.pk) or 0
        if digests.get(power.pk) != digest:
            version += 1
        text, token_text = snapshot_search(data)
        tokens.append(token_text)
        rows.append(PublishedPower(
            publication=publication, power=power, region_id=power.region_id, department_id=department.pk,
            category_id=power.in_force.category_id, level=data["level"], code=data["code"], name=data["name"],
            parent_code=data["parent_code"] or "",
            status=(PublishedPower.Status.CANCELLED if data["disposition"] == Power.Disposition.CANCEL
                    else PublishedPower.Status.IN_FORCE),
            version=version, is_current=True, data=data, digest=digest, search_text=text,
        ))
    if current is not None:
        Publication.objects.filter(pk=current.pk).update(state=Publication.State.SUPERSEDED)
        PublishedPower.objects.filter(publication=current).update(is_current=False)
        # The search table holds the current rows only (disclosure.search_models).
        PublicSearchEntry.objects.filter(published__publication=current).delete()
    PublishedPower.objects.bulk_create(rows, batch_size=500)
    PublicSearchEntry.objects.bulk_create(search_entries(rows, tokens), batch_size=500)
    if user is not None:
        operation_record_append(obj=publication, actor=user, role=role, action=ReviewAction.CREATE,
                                from_state="", to_state=Publication.State.CURRENT, comment=note)
    transaction.on_commit(public_cache_invalidate)
    transaction.on_commit(lambda: datasets_schedule(publication_id=publication.pk))
    publication_files_plan(publication=publication, user=user)
    return publication


def publication_create(*, user, department, note):
    """Publish every power of `department` in force as a new publication, superseding
    the current one. Only revisions in force are read (disclosure.snapshot).

    Raises PermissionDenied unless `user` is the department's reviewer (or stand-in);
    ValidationError when the note is empty or too long, or nothing was ever confirmed.
    Writes an operation-record entry; after the commit every public page's cache goes
    stale. Returns the Publication."""
    decision = can_publish(user, department)
    if not decision:
        raise PermissionDenied(decision.reason)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写本次公开的变更说明。")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _("变更说明不得超过%(n)s个字。") % {"n": NOTE_MAX_LENGTH}})
    return _publish(department=department, user=user, note=note, role=decision.role)


def publication_auto_queue(*, power_ids):
    """powerlist's on_power_confirmed handler (registered in DisclosureConfig.ready),
    called after the confirming commit: queues publication_auto as a Celery task, so
    the confirming request does not wait for a department's publication."""
    current_app.tasks["disclosure.publication_auto"].delay(list(power_ids))


def publication_auto(*, power_ids):
    """The automatic publication (Celery task disclosure.publication_auto): each
    department of these powers whose region switched on automatic publication publishes
    again, with a note naming the confirmed items."""
    # A withheld power is never named in a public note.
    powers = (Power.objects.filter(pk__in=power_ids).exclude(pk__in=withheld_power_ids())
              .exclude(pk__in=retracted_power_ids()).select_related("department", "in_force"))
    auto_regions = set(
        DisclosureSettings.objects.filter(auto_publish=True).values_list("region_id", flat=True)
    )
    by_department = {}
    for power in powers:
        if power.region_id in auto_regions and power.in_force_id:
            by_department.setdefault(power.department, []).append(power)
    publications = []
    for department, items in by_department.items():
        names = "、".join(f"{p.in_force.name}" for p in items[:5]) + ("等" if len(items) > 5 else "")
        note = _("确认后自动公开:%(names)s") % {"names": names}
        publications.append(_publish(department=department, user=None, note=note, role=""))
    return publications
