"""The operation record under concurrent writers, on PostgreSQL's row locks: one region's
writers queue on its head and never fork its chain; another region's do not wait."""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from powerlist.models import ChainHead, Power, ReviewAction, ReviewLogEntry, ReviewState
from powerlist.org.roles import Role
from powerlist.review.record import operation_record_append, operation_record_verify
from tests.powerlist.factories import PowerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock concurrency needs PostgreSQL (CI runs the suite on PostgreSQL)",
    ),
]


def _append(power_id, actor):
    power = Power.objects.select_related("region").get(pk=power_id)
    with transaction.atomic():
        return operation_record_append(obj=power, actor=actor, role=Role.CLERK, action=ReviewAction.SUBMIT,
                                       from_state=ReviewState.DRAFT, to_state=ReviewState.DEPARTMENT_REVIEW)


def test_eight_writers_in_one_region_never_fork_its_chain(org):
    powers = [PowerFactory(department=org.dept, division=org.division) for _ in range(8)]
    barrier = threading.Barrier(8)
    errors = []

    def worker(power_id):
        try:
            barrier.wait()
            _append(power_id, org.clerk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(p.pk,)) for p in powers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(ReviewLogEntry.objects.filter(chain="region:210000").values_list("seq", flat=True)) == list(
        range(1, 9))
    (result,) = operation_record_verify(chain="region:210000", full=True)
    assert result.ok and result.count == 8


def test_a_held_head_in_one_region_does_not_block_another_region(org):
    province_power = PowerFactory(department=org.dept, division=org.division)
    city_power = PowerFactory(department=org.city_dept, division=org.city_division)
    _append(province_power.pk, org.clerk)
    locked, release = threading.Event(), threading.Event()

    def hold_province_head():
        try:
            with transaction.atomic():
                ChainHead.objects.select_for_update().get(name="region:210000")
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_province_head)
    holder.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            entry = operation_record_append(obj=city_power, actor=org.city_clerk, role=Role.CLERK,
                                            action=ReviewAction.SUBMIT, from_state="draft",
                                            to_state="department_review")
        assert (entry.chain, entry.seq) == ("region:210100", 1)
        # The same append in the held region waits, and gives up at the lock timeout.
        with pytest.raises(OperationalError, match="lock timeout"):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                operation_record_append(obj=province_power, actor=org.clerk, role=Role.CLERK,
                                        action=ReviewAction.SUBMIT, from_state="draft", to_state="department_review")
    finally:
        release.set()
        holder.join(10)
