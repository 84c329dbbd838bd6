"""The operation record: one chain per stream, checkpoints, verification from them, the
legacy chain, the bulk writer, and the reads the review pages use."""

import datetime as dt
import hashlib
import json
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from powerlist.models import ChainHead, Checkpoint, ReviewAction, ReviewLogEntry, ReviewState
from powerlist.org.roles import Role
from powerlist.review.record import (
    last_actor_id_as,
    operation_record_append,
    operation_record_append_many,
    operation_record_for,
    operation_record_verify,
    previous_submission,
    record_checkpoint_write,
    record_stream_for,
)
from tests.powerlist.factories import PowerFactory

pytestmark = pytest.mark.django_db

FIXED = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.timezone.utc)


def _append(obj, actor, action=ReviewAction.SUBMIT, comment="", role=Role.CLERK):
    with transaction.atomic():
        return operation_record_append(obj=obj, actor=actor, role=role, action=action,
                                       from_state=ReviewState.DRAFT, to_state=ReviewState.DEPARTMENT_REVIEW,
                                       comment=comment)


def _by_chain(results):
    return {r.chain: r for r in results}


@pytest.fixture
def two_cities(org):
    """Three entries about a province power, two about a city power."""
    province_power = PowerFactory(department=org.dept, division=org.division)
    city_power = PowerFactory(department=org.city_dept, division=org.city_division)
    for _ in range(3):
        _append(province_power, org.clerk)
    for _ in range(2):
        _append(city_power, org.city_clerk)
    return province_power, city_power


def test_two_regions_write_two_chains_each_counting_from_one(two_cities):
    rows = list(ReviewLogEntry.objects.order_by("chain", "seq").values_list("chain", "seq"))
    assert rows == [("region:210000", 1), ("region:210000", 2), ("region:210000", 3),
                    ("region:210100", 1), ("region:210100", 2)]
    results = _by_chain(operation_record_verify(full=True))
    assert results["region:210000"].ok and results["region:210000"].count == 3
    assert results["region:210100"].ok and results["region:210100"].count == 2


def test_each_chain_starts_at_the_genesis_hash_and_links_its_own_entries(two_cities):
    first, second = ReviewLogEntry.objects.filter(chain="region:210100").order_by("seq")
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.entry_hash
    assert ChainHead.objects.get(name="region:210100").last_hash == second.entry_hash


def test_a_tampered_entry_is_named_with_its_chain(two_cities):
    target = ReviewLogEntry.objects.get(chain="region:210100", seq=2)
    ReviewLogEntry.objects.filter(pk=target.pk).update(comment="事后篡改")
    results = _by_chain(operation_record_verify(full=True))
    assert results["region:210000"].ok
    broken = results["region:210100"]
    assert broken.broken.pk == target.pk and broken.reason == "content does not match its hash"
    with pytest.raises(CommandError, match=r"chain region:210100 BROKEN at entry #2 "):
        call_command("verify_operation_record", "--full")


def test_an_entry_moved_to_another_chain_no_longer_matches_its_hash(two_cities):
    entry = ReviewLogEntry.objects.get(chain="region:210100", seq=2)
    entry.chain = "region:210200"
    assert entry.compute_hash() != entry.entry_hash


def test_entries_of_a_chain_without_head_are_reported_by_a_full_check(two_cities):
    ChainHead.objects.filter(name="region:210100").delete()
    results = _by_chain(operation_record_verify(full=True))
    assert results["region:210100"].reason == "entries without a chain head"
    assert "region:210100" not in _by_chain(operation_record_verify())


def test_the_stream_of_a_split_region_is_its_department(org, settings):
    power = PowerFactory(department=org.dept, division=org.division)
    city_power = PowerFactory(department=org.city_dept, division=org.city_division)
    settings.OPERATION_RECORD_SPLIT_REGIONS = ["210000"]
    assert record_stream_for(power) == f"region:210000/department:{org.dept.pk}"
    assert record_stream_for(city_power) == "region:210100"
    entry = _append(power, org.clerk)
    assert (entry.chain, entry.seq) == (f"region:210000/department:{org.dept.pk}", 1)


def test_checkpoint_then_verify_walks_only_the_entries_after_it(two_cities, org):
    province_power, _city_power = two_cities
    written = _by_chain(record_checkpoint_write())
    checkpoint = written["region:210000"].checkpoint
    assert (checkpoint.seq, checkpoint.count) == (3, 3)
    assert checkpoint.head_hash == ReviewLogEntry.objects.get(chain="region:210000", seq=3).entry_hash
    _append(province_power, org.clerk)
    _append(province_power, org.clerk)
    result = _by_chain(operation_record_verify(chain="region:210000"))["region:210000"]
    assert (result.ok, result.from_seq, result.checked, result.count) == (True, 4, 2, 5)


def test_a_tamper_before_the_checkpoint_is_not_walked_but_full_finds_it(two_cities, org):
    province_power, _city_power = two_cities
    record_checkpoint_write()
    _append(province_power, org.clerk)
    ReviewLogEntry.objects.filter(chain="region:210000", seq=2).update(comment="篡改")
    assert _by_chain(operation_record_verify())["region:210000"].ok
    full = _by_chain(operation_record_verify(full=True))["region:210000"]
    assert full.broken.seq == 2


def test_a_tamper_after_the_checkpoint_is_caught(two_cities, org):
    province_power, _city_power = two_cities
    record_checkpoint_write()
    _append(province_power, org.clerk)
    _append(province_power, org.clerk)
    ReviewLogEntry.objects.filter(chain="region:210000", seq=5).update(actor_name="别人")
    result = _by_chain(operation_record_verify())["region:210000"]
    assert result.broken.seq == 5 and result.reason == "content does not match its hash"


def test_a_changed_checkpoint_entry_is_reported(two_cities):
    record_checkpoint_write()
    ReviewLogEntry.objects.filter(chain="region:210000", seq=3).update(comment="篡改")
    result = _by_chain(operation_record_verify())["region:210000"]
    assert result.broken.seq == 3 and "checkpoint #3" in result.reason


def test_a_checkpoint_whose_hash_does_not_match_is_reported(two_cities):
    record_checkpoint_write()
    Checkpoint.objects.filter(chain="region:210100").update(head_hash="f" * 64)
    results = _by_chain(operation_record_verify())
    assert results["region:210000"].ok
    assert results["region:210100"].broken.seq == 2
    assert results["region:210100"].reason.startswith("entry does not match the checkpoint #2 of ")


def test_a_broken_chain_gets_no_checkpoint_and_an_unchanged_one_no_new_one(two_cities, org):
    province_power, city_power = two_cities
    record_checkpoint_write()
    _append(province_power, org.clerk)
    _append(city_power, org.city_clerk)
    ReviewLogEntry.objects.filter(chain="region:210100", seq=3).update(comment="篡改")
    with pytest.raises(CommandError, match=r"1 chain\(s\) broken: region:210100\."):
        call_command("record_checkpoint")
    record_checkpoint_write()
    assert list(Checkpoint.objects.order_by("chain", "seq").values_list("chain", "seq")) == [
        ("region:210000", 3), ("region:210000", 4), ("region:210100", 2)]


def test_removing_the_last_entries_is_caught_by_the_head(two_cities):
    ReviewLogEntry.objects.filter(chain="region:210000", seq=3)._raw_delete(ReviewLogEntry.objects.db)
    result = _by_chain(operation_record_verify(full=True))["region:210000"]
    assert result.broken is None and "chain head does not match" in result.reason


def _legacy_hash(entry):
    """The hash as the one global chain computed it before streams (written out here, not
    taken from the model)."""
    data = {
        "seq": entry.seq, "item": f"powerlist.power:{entry.object_id}", "object_repr": entry.object_repr,
        "region_id": entry.region_id, "department_id": entry.department_id, "actor_id": entry.actor_id,
        "actor_name": entry.actor_name, "actor_role": entry.actor_role, "action": entry.action,
        "from_state": entry.from_state, "to_state": entry.to_state, "comment": entry.comment,
        "revision": entry.revision, "snapshot_sha256": None,
        "created_at": entry.created_at.isoformat(timespec="microseconds"), "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
                          ).hexdigest()


def test_the_legacy_chain_still_verifies_and_gets_no_new_entries(org):
    from django.contrib.contenttypes.models import ContentType

    power = PowerFactory(department=org.dept, division=org.division)
    prev = "0" * 64
    for seq in (1, 2):
        entry = ReviewLogEntry(
            chain="review", seq=seq, content_type=ContentType.objects.get_for_model(type(power)), object_id=power.pk,
            object_repr=str(power), region_id=power.region_id, department_id=power.department_id, actor=org.clerk,
            actor_name="经办人", actor_role=Role.CLERK, action=ReviewAction.SUBMIT, from_state="draft",
            to_state="department_review", comment="", revision=1, snapshot=None,
            created_at=FIXED + dt.timedelta(minutes=seq), prev_hash=prev,
        )
        entry.entry_hash = prev = _legacy_hash(entry)
        entry.save()
    ChainHead.objects.update_or_create(name="review", defaults={"last_seq": 2, "last_hash": prev})
    new = _append(power, org.clerk)
    assert new.chain == "region:210000"
    results = _by_chain(operation_record_verify(full=True))
    assert results["review"].ok and results["review"].count == 2
    assert results["region:210000"].ok
    assert [e.chain for e in operation_record_for(power)] == ["review", "review", "region:210000"]


def test_the_bulk_writer_writes_what_one_by_one_appends_write(org):
    powers = [PowerFactory(department=org.dept, division=org.division),
              PowerFactory(department=org.city_dept, division=org.city_division),
              PowerFactory(department=org.dept, division=org.division)]
    with mock.patch("django.utils.timezone.now", return_value=FIXED):
        with transaction.atomic():
            bulk = operation_record_append_many(objs=powers, actor=org.admin, role=Role.ADMINISTRATOR,
                                                action=ReviewAction.CREATE, from_state="", to_state="draft")
            bulk = [(e.chain, e.seq, e.prev_hash, e.entry_hash) for e in bulk]
            transaction.set_rollback(True)
        with transaction.atomic():
            single = [operation_record_append(obj=p, actor=org.admin, role=Role.ADMINISTRATOR,
                                              action=ReviewAction.CREATE, from_state="", to_state="draft")
                      for p in powers]
    assert [(c, s) for c, s, _p, _h in bulk] == [("region:210000", 1), ("region:210100", 1), ("region:210000", 2)]
    assert bulk == [(e.chain, e.seq, e.prev_hash, e.entry_hash) for e in single]
    assert all(r.ok for r in operation_record_verify(full=True))


def test_last_actor_in_a_role_and_the_item_history(org):
    power = PowerFactory(department=org.dept, division=org.division)
    _append(power, org.clerk)
    _append(power, org.dept_reviewer, action=ReviewAction.RETURN, comment="补充依据", role=Role.DEPARTMENT_REVIEWER)
    _append(power, org.other_reviewer, action=ReviewAction.RETURN, comment="再补充", role=Role.DEPARTMENT_REVIEWER)
    assert last_actor_id_as(obj=power, role=Role.DEPARTMENT_REVIEWER) == org.other_reviewer.pk
    assert last_actor_id_as(obj=power, role=Role.OFFICE_REVIEWER) is None
    history = list(operation_record_for(power))
    assert [e.comment for e in history] == ["", "补充依据", "再补充"]
    assert history[1].actor.username == "dept_reviewer"


def test_previous_submission_is_the_one_before_the_current(org):
    power = PowerFactory(department=org.dept, division=org.division)
    for version in (1, 2):
        with transaction.atomic():
            operation_record_append(obj=power, actor=org.clerk, role=Role.CLERK, action=ReviewAction.SUBMIT,
                                    from_state="draft", to_state="department_review",
                                    snapshot={"name": f"第{version}版"})
    power.state = ReviewState.DEPARTMENT_REVIEW
    assert previous_submission(power).snapshot == {"name": "第1版"}
    power.state = ReviewState.DRAFT
    assert previous_submission(power).snapshot == {"name": "第2版"}


def test_checkpoints_are_published_as_csv(two_cities, capsys):
    with mock.patch("django.utils.timezone.now", return_value=FIXED):
        record_checkpoint_write()
    call_command("publish_record_checkpoints")
    lines = capsys.readouterr().out.splitlines()
    head_3 = ReviewLogEntry.objects.get(chain="region:210000", seq=3).entry_hash
    assert lines[0] == "chain,seq,head_hash,count,created_at"
    assert lines[1] == f"region:210000,3,{head_3},3,2026-12-01T08:30:00+00:00"
    assert lines[2].startswith("region:210100,2,")
    assert len(lines) == 3


def test_verify_commands_report_every_chain(two_cities, capsys):
    call_command("verify_operation_record")
    out = capsys.readouterr().out
    assert "region:210000: intact, 3 entries (3 checked from the start)." in out
    assert re.search(r"Operation record intact: \d chains, 5 entries\.", out)
    call_command("verify_review_log", "--chain", "region:210100")
    assert "region:210100: intact, 2 entries" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No chain named"):
        call_command("verify_operation_record", "--chain", "region:999999")


def test_the_daily_checkpoint_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["operation-record-checkpoint"]
    assert entry["task"] == "powerlist.record_checkpoint"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({1}, {15})
