"""The demo catalogue: thirty powers of the province 发展改革委 in every review state,
reached through the real services, and adoptions by the city; seed_demo is idempotent."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count

from powerlist.models import Department, Power, ReviewLogEntry, ReviewState
from powerlist.review.record import operation_record_verify


def _seed():
    call_command("seed_demo", "--password", "demo-pass-2026", "--force", stdout=StringIO())


@pytest.fixture
def demo(demo_seeded, db):
    """The demo, seeded once for this module (tests/conftest.py: demo_seeded)."""
    return Department.objects.get(region__code="210000", name="发展改革委")


def test_seed_demo_twice_does_not_duplicate(demo):
    powers, entries = Power.objects.count(), ReviewLogEntry.objects.count()
    _seed()
    assert Power.objects.count() == powers
    assert ReviewLogEntry.objects.count() == entries
    assert all(r.ok for r in operation_record_verify(full=True))


def test_demo_department_has_thirty_powers_across_categories_and_states(demo):
    powers = Power.objects.filter(department=demo, parent__isnull=True)
    assert 25 <= powers.count() <= 35
    # Four main items have sub-items (seven in all), in their main item's state.
    subs = Power.objects.filter(department=demo, parent__isnull=False).select_related("parent")
    assert subs.count() == 7 and subs.values("parent").distinct().count() == 4
    assert all(sub.state == sub.parent.state for sub in subs)
    assert powers.values("category").distinct().count() >= 6
    assert set(powers.values_list("state", flat=True)) == set(ReviewState.values)
    assert powers.filter(state=ReviewState.CONFIRMED).count() >= 8
    assert set(powers.values_list("division__name", flat=True)) == {"投资处", "价格处", "政策法规处", "办公室"}
    for power in powers:
        assert power.legal_bases.exists(), power
        assert power.work_discipline
        assert power.responsibility_items.exclude(text="").exists(), power
        assert power.accountability_circumstances.exists(), power


def test_demo_states_carry_their_history(demo):
    powers = Power.objects.filter(department=demo, parent__isnull=True)
    returned = powers.get(state=ReviewState.DRAFT, revision=1, last_return_comment__gt="")
    assert returned.last_return_comment
    half = powers.get(state=ReviewState.FINAL_REVIEW, establishment_confirmed_by__isnull=False)
    assert half.legal_confirmed_by_id is None
    revising = powers.get(revision=2)
    assert revising.state == ReviewState.DRAFT
    assert revising.in_force.number == 1
    assert revising.in_force.data["promised_limit_days"] != revising.promised_limit_days
    cancelled = powers.get(disposition=Power.Disposition.CANCEL)
    assert cancelled.state == ReviewState.CONFIRMED and "取消" in cancelled.disposition_reason
    # every state was reached through the services: each power's log starts with 'create'
    log = ReviewLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Power))
    actions = dict(
        log.filter(object_id__in=powers.values("id"), action="create")
        .values_list("object_id").annotate(n=Count("id"))
    )
    assert set(actions) == set(powers.values_list("id", flat=True))
    confirmed = powers.filter(state=ReviewState.CONFIRMED).first()
    steps = list(log.filter(object_id=confirmed.pk).order_by("seq").values_list("action", flat=True))
    assert steps == ["create", "submit", "approve", "approve", "confirm_establishment", "confirm_legal"]


def test_city_adopted_province_items(demo):
    city_powers = Power.objects.filter(region__code="210100", department__name="发展改革委")
    assert city_powers.count() >= 2
    for power in city_powers:
        assert power.source.department_id == demo.id
        assert power.source.in_force_id is not None
        assert power.name == power.source.name
    assert city_powers.filter(state=ReviewState.DEPARTMENT_REVIEW).exists()


def test_review_log_verifies_after_seed(demo):
    results = operation_record_verify(full=True)
    assert all(r.ok for r in results) and sum(r.count for r in results) > 100
