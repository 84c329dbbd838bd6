"""The intake's field checks as a DRF serializer (supervision.serializers): nested paths,
the event itself, strict types, kind-dependent fields, and the cleaned values."""

import datetime
from decimal import Decimal

import pytest

from supervision.serializers import event_fields_check

BASE = {"event_id": "e1", "kind": "accepted", "case": "XK-1", "occurred_at": "2026-11-02T10:00:00+08:00"}


@pytest.mark.parametrize("change, fields", [
    ({"applicant": {"name": "张" * 201}}, ["applicant.name"]),
    ({"applicant": "张三"}, ["applicant"]),
    ({"applicant": {"nickname": "三"}}, ["applicant.nickname"]),
    ({"online": "yes"}, ["online"]),
    ({"event_id": 17}, ["event_id"]),
    ({"event_id": ""}, ["event_id"]),
    ({"kind": "received"}, ["power"]),
    ({"kind": "step_started"}, ["step"]),
    ({"kind": "extended", "days": 10}, ["approver", "ground"]),
    ({"kind": "extended", "days": 10.5, "approver": "局长", "ground": "复杂"}, ["days"]),
    ({"kind": "decided", "measure": {"amount": "NaN"}}, ["measure.amount"]),
    ({"kind": "resumed", "ground": "午休"}, ["ground"]),
    ({"colour": "red", "size": 3}, ["colour", "size"]),
])
def test_each_fault_is_named_by_its_path(change, fields):
    data, errors = event_fields_check({**BASE, **change})
    assert data is None
    assert sorted(errors) == sorted(fields)
    assert all(isinstance(m, str) and m for messages in errors.values() for m in messages)


def test_an_event_that_is_not_an_object_is_named_as_the_event():
    assert event_fields_check(["accepted"]) == (None, {"": ["每个事件须为 JSON 对象。"]})


def test_cleaned_values_are_typed_and_stripped():
    data, errors = event_fields_check({**BASE, "kind": "extended", "days": "10", "approver": " 王局长 ",
                                       "ground": "需现场核查", "note": "备注"})
    assert errors == {}
    assert (data["days"], data["approver"], data["note"]) == (10, "王局长", "备注")
    assert data["occurred_at"] == datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.timezone.utc)
    data, _errors = event_fields_check({**BASE, "kind": "fee_charged", "amount": 12.5})
    assert data["amount"] == Decimal("12.5")
    data, _errors = event_fields_check({**BASE, "kind": "refused", "reasons": "材料不全"})
    assert data["reasons"] == ["材料不全"]
    # A refusal with empty reasons happened and is accepted (the rule raises an alert).
    assert event_fields_check({**BASE, "kind": "refused", "reasons": []})[1] == {}
