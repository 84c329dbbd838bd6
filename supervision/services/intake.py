"""Intake of case events from the departments' approval systems (and by hand).

Contract (docs/supervision.md, "Intake"): a batch of 1 … 500 events, all or nothing.
Each event is checked field by field (supervision.serializers); any fault is a ValidationError naming the field
("events[3].step", or "step" for a single event) and nothing is saved. (system,
event_id) is the idempotency key: an event already stored with the same content is a
replay and changes nothing; the same id with other content is refused. Events may
arrive in any order; the case is derived from them ordered by `occurred_at`. A case
is created by its `received` event, which may come in the same batch as later ones.
"""

import hashlib
import json
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.catalogue.models import Power
from powerlist.bulk import insert_returning_ids, insert_rows
from powerlist.errors import Conflict
from supervision.clock import calendar_pinned
from supervision.models import Case, CaseEvent, CaseEventKey, EventKind
from supervision.serializers import events_fields_check
from supervision.services.cases import (
    case_build, cases_refresh, events_by_case, events_since, flowchart_content_of, published_by_power,
)
from supervision.timeline import timeline_resumable

MAX_BATCH = 500


class _Faults:
    def __init__(self, prefix):
        self.prefix, self.errors = prefix, {}

    def add(self, index, name, message):
        self.errors.setdefault(self.prefix(index, name), []).append(message)


def _digest(raw) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _clean(index, raw, data):
    """The event's fields (`data`, checked by supervision.serializers) as the store takes them."""
    kind = data["kind"]
    out = {"payload": {}, "digest": _digest(raw), "index": index, "kind": kind, "event_id": data["event_id"],
           "case": data["case"], "person": data.get("person") or "", "occurred_at": data["occurred_at"]}
    payload = out["payload"]
    if kind == EventKind.RECEIVED:
        out["power"] = data["power"]
        applicant = data.get("applicant") or {}
        out["applicant"] = {name: applicant.get(name) or "" for name in ("name", "id_number", "phone")}
        payload["online"] = data.get("online", True) is not False
    elif kind == EventKind.REFUSED:
        payload["reasons"] = data.get("reasons") or []
    elif kind in (EventKind.STEP_STARTED, EventKind.STEP_FINISHED):
        out["step"] = data["step"]
    elif kind in (EventKind.SUSPENDED, EventKind.RESUMED):
        payload["ground"] = data.get("ground") or ""
    elif kind == EventKind.EXTENDED:
        payload.update(days=data["days"], approver=data["approver"], ground=data["ground"])
    elif kind == EventKind.DECIDED:
        measure = data.get("measure") or {}
        clean = {} if measure.get("amount") is None else {"amount": str(measure["amount"])}
        payload["measure"] = {**clean, **{name: measure.get(name) or "" for name in ("unit", "grade", "text")}}
    elif kind == EventKind.FEE_CHARGED:
        payload["amount"] = str(data["amount"])
    if data.get("note") is not None:
        payload["note"] = data["note"]
    return out


def _step_of(content, name):
    """(key, name) of the flowchart step called `name` (or with that key), or None."""
    for step in (content or {}).get("steps", []):
        if step.get("name") == name or str(step.get("key")) == name:
            return str(step["key"]), step.get("name") or ""
    return None


def events_intake(*, department, actor, events, system=None, batch=True, today=None) -> list:
    """Record `events` for `department` (the system's, or the clerk's for events entered by
    hand), all or nothing; returns the stored CaseEvents in the order given (replays
    included); `today` (default: the local date) is the day the alert rules judge by.
    Raises ValidationError naming each faulty field, Conflict (409) when a concurrent
    push wrote the same case or event first; side effects: cases
    created by their received events, case state and clocks refreshed, alerts raised."""
    def prefix(index, name):
        head = f"events[{index}]" if batch else ""
        return ".".join(p for p in (head, name) if p) or "events"

    faults = _Faults(prefix)
    if not isinstance(events, list) or not events:
        raise ValidationError({"events": [_("须为 1 至 %(n)s 个事件。") % {"n": MAX_BATCH}]})
    if len(events) > MAX_BATCH:
        raise ValidationError({"events": [_("一次最多 %(n)s 个事件。") % {"n": MAX_BATCH}]})
    checked, errors = events_fields_check(events)
    if errors:
        for index, fields in errors.items():
            for name, messages in fields.items():
                for message in messages:
                    faults.add(index, name, message)
        raise ValidationError(faults.errors)
    cleaned = [_clean(i, raw, data) for i, (raw, data) in enumerate(zip(events, checked))]
    if system is None:
        for c in cleaned:
            c["event_id"] = f"manual-{uuid.uuid4().hex}"
    try:
        with transaction.atomic(), calendar_pinned():
            return _store(department, actor, system, cleaned, faults, today)
    except IntegrityError:
        # Another push created the same case or stored the same event id first (the
        # unique constraints hold it); sending the batch again is a replay or a clean fault.
        raise Conflict(_("同一办件或事件正由另一请求同时写入,请稍后重新推送本批事件。")) from None


def _stored_events(system, event_ids) -> dict:
    """{event_id: the stored CaseEvent} for the ids `system` already sent: the keys from
    the unpartitioned key table, then the events by id and time (the partition key, so
    only their partitions are read). Two queries."""
    keys = list(CaseEventKey.objects.filter(system=system, event_id__in=list(event_ids))
                .values_list("event_pk", "occurred_at"))
    if not keys:
        return {}
    events = CaseEvent.objects.filter(pk__in=[pk for pk, _at in keys],
                                      occurred_at__in={at for _pk, at in keys}).select_related("case")
    return {event.event_id: event for event in events}


def _store(department, actor, system, cleaned, faults, today):
    seen = {}
    for c in cleaned:
        first = seen.setdefault(c["event_id"], c)
        if first is not c and first["digest"] != c["digest"]:
            faults.add(c["index"], "event_id", _("同一批次中该事件编号出现两次且内容不同。"))
    existing = _stored_events(system, seen) if system is not None else {}
    for c in cleaned:
        stored = existing.get(c["event_id"])
        if stored is not None and stored.digest != c["digest"]:
            faults.add(c["index"], "event_id", _("该事件编号已用于内容不同的另一事件。"))
    new = [c for c in seen.values() if c["event_id"] not in existing]
    # The pinned revisions, power and region are prefetched (one query each for the batch),
    # not joined: joined, every case row brought its flowchart's and power's JSON again.
    cases = {case.number: case for case in Case.objects.select_for_update().prefetch_related(
        "flowchart_revision", "power_revision", "power", "region").filter(
        department=department, number__in={c["case"] for c in new})}
    powers = {p.code: p for p in Power.objects.select_related("in_force", "flowchart__in_force").filter(
        department=department, code__in={c["power"] for c in new if c["kind"] == EventKind.RECEIVED})}
    published = published_by_power(p.pk for p in powers.values()) if powers else {}
    created = []
    for c in sorted(new, key=lambda c: c["occurred_at"]):
        if c["kind"] != EventKind.RECEIVED:
            continue
        if c["case"] in cases:
            faults.add(c["index"], "case", _("办件“%(n)s”已收件。") % {"n": c["case"]})
            continue
        power = powers.get(c["power"])
        if power is None:
            faults.add(c["index"], "power", _("本部门没有编码为“%(code)s”的事项。") % {"code": c["power"]})
            continue
        try:
            cases[c["case"]] = case_build(power=power, number=c["case"], received_at=c["occurred_at"],
                                          applicant=c["applicant"], online=c["payload"]["online"], system=system,
                                          published=published.get(power.pk, False), check_number=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    faults.add(c["index"], name if name != "number" else "case", message)
            continue
        created.append(cases[c["case"]])
    if created and not faults.errors:
        insert_returning_ids(Case, created)  # the batch's new cases in one statement
    new_ids = {case.pk for case in created}
    now = timezone.now()
    rows = []
    for c in new:
        case = cases.get(c["case"])
        if case is None:
            if c["kind"] != EventKind.RECEIVED:
                faults.add(c["index"], "case", _("办件“%(n)s”尚未收件:须先推送或同批推送其收件事件。")
                           % {"n": c["case"]})
            continue
        step_key = step_name = ""
        if c["kind"] in (EventKind.STEP_STARTED, EventKind.STEP_FINISHED):
            found = _step_of(flowchart_content_of(case), c["step"])
            if found is None:
                faults.add(c["index"], "step", _("“%(step)s”不是该事项现行流程图中的环节。") % {"step": c["step"]})
                continue
            step_key, step_name = found
        rows.append(CaseEvent(
            case=case, system=system, event_id=c["event_id"], kind=c["kind"], occurred_at=c["occurred_at"],
            step_key=step_key, step_name=step_name, person=c["person"], payload=c["payload"], digest=c["digest"],
            recorded_by=actor, received_at=now,
        ))
    if faults.errors:
        raise ValidationError(faults.errors)
    # COPY on PostgreSQL (no per-value preparation; a unique violation is still an IntegrityError).
    insert_returning_ids(CaseEvent, rows)
    if system is not None:
        # The idempotency key, in the same transaction (its unique index holds races).
        insert_rows(CaseEventKey, [CaseEventKey(
            system=system, event_id=row.event_id, case_id=row.case_id, event_pk=row.pk,
            occurred_at=row.occurred_at, digest=row.digest) for row in rows])
    touched = {row.case_id: row.case for row in rows}
    if touched:
        batch = {}
        for row in rows:
            batch.setdefault(row.case_id, []).append(row)
        # A case created by this batch has no events but the batch's; a case whose stored
        # timeline state holds its other events, all earlier than the batch's, takes the
        # batch's from it; only the others (an event out of order, a case derived before
        # the state was kept) are read again, from their earliest event on.
        later = {pk: batch[pk] for pk, case in touched.items()
                 if pk not in new_ids and timeline_resumable(case.timeline_state, batch[pk])}
        reread = [case for pk, case in touched.items() if pk not in new_ids and pk not in later]
        events = events_by_case([case.pk for case in reread], since=events_since(
            reread, (row.occurred_at for case in reread for row in batch[case.pk]))) if reread else {}
        for pk in new_ids:
            events[pk] = batch[pk]
        cases_refresh(cases=touched.values(), events=events, later=later, actor=actor, today=today)
    by_id = {row.event_id: row for row in rows} | existing
    return [by_id[c["event_id"]] for c in cleaned]
