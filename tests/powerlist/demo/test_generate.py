"""generate_province: deterministic for a seed, states along the whole chain, unique
codes, accounts that can log in, a review log that verifies (SQLite and PostgreSQL)."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from powerlist.demo.generate import DEFAULT_PASSWORD, generate_province, shape_for
from powerlist.models import LegalBasis, Power, PowerRevision, Region, ReviewLogEntry, ReviewState, User
from powerlist.review.engine import review_approve
from powerlist.review.record import operation_record_verify


def _content(region_code):
    """Everything generated for one province, with the region code taken out of the codes."""
    powers = (
        Power.objects.filter(region__path__startswith=f"{region_code}/")
        .order_by("id")
        .values_list("code", "name", "category__code", "state", "disposition", "division__name",
                     "department__name", "region__name", "statutory_limit_days", "promised_limit_days",
                     "last_return_comment")
    )
    bases = (
        LegalBasis.objects.filter(power__region__path__startswith=f"{region_code}/")
        .order_by("power_id", "order")
        .values_list("law_name", "article")
    )
    strip = len(region_code[:2])
    return [(code[strip:], *rest) for code, *rest in powers], list(bases)


@pytest.mark.django_db
def test_same_seed_gives_the_same_province():
    generate_province(powers=120, seed=7, region_code="990000")
    generate_province(powers=120, seed=7, region_code="980000")
    first, second = _content("990000"), _content("980000")
    assert len(first[0]) == 120
    assert first == second


@pytest.mark.django_db
def test_another_seed_gives_another_province():
    generate_province(powers=120, seed=1, region_code="990000")
    generate_province(powers=120, seed=2, region_code="980000")
    assert _content("990000") != _content("980000")


@pytest.mark.django_db
def test_states_spread_along_the_review_chain():
    stats = generate_province(powers=600, seed=3)
    counts = dict(Power.objects.values_list("state").annotate(n=Count("id")))
    assert set(counts) == set(ReviewState.values)
    assert sum(counts.values()) == 600 == stats.powers
    # roughly 10 / 10 / 10 / 5 / 65 percent
    assert 0.55 < counts[ReviewState.CONFIRMED] / 600 < 0.75
    assert 0.02 < counts[ReviewState.FINAL_REVIEW] / 600 < 0.10
    for state in (ReviewState.DRAFT, ReviewState.DEPARTMENT_REVIEW, ReviewState.OFFICE_REVIEW):
        assert 0.05 < counts[state] / 600 < 0.16
    # confirmed powers carry the revision in force; nothing else does
    confirmed = Power.objects.filter(state=ReviewState.CONFIRMED)
    assert not confirmed.filter(in_force__isnull=True).exists()
    assert not Power.objects.exclude(state=ReviewState.CONFIRMED).filter(in_force__isnull=False).exists()
    assert PowerRevision.objects.count() == confirmed.count()
    revision = PowerRevision.objects.select_related("power").first()
    assert revision.data["name"] == revision.power.name
    assert revision.data["legal_bases"]
    # some final reviews already have the establishment office's half, and some drafts were returned
    assert Power.objects.filter(state=ReviewState.FINAL_REVIEW, establishment_confirmed_by__isnull=False).exists()
    assert Power.objects.filter(state=ReviewState.DRAFT).exclude(last_return_comment="").exists()
    # every power has one or two legal bases and the dispositions include cancel and adjust
    per_power = Power.objects.annotate(n=Count("legal_bases")).values_list("n", flat=True)
    assert set(per_power) <= {1, 2}
    assert set(Power.objects.values_list("disposition", flat=True)) == set(Power.Disposition.values)


@pytest.mark.django_db
def test_codes_unique_per_region_and_divisions_belong_to_the_department():
    generate_province(powers=300, seed=4)
    clashes = Power.objects.values("region_id", "code").annotate(n=Count("id")).filter(n__gt=1)
    assert not clashes.exists()
    assert not Power.objects.exclude(division__department_id=F("department_id")).exists()


@pytest.mark.django_db
def test_small_runs_make_a_small_province_and_large_runs_the_full_one():
    assert shape_for(500_000) == shape_for(100_000)
    full = shape_for(500_000)
    assert (full.cities, full.counties, full.departments_per_region) == (14, 100, 40)
    small = shape_for(50)
    assert (small.cities, small.counties, small.departments_per_region) == (1, 1, 3)
    stats = generate_province(powers=50, seed=0)
    assert stats.regions == Region.objects.count() == 3


@pytest.mark.django_db
def test_review_log_has_one_create_entry_per_power_and_the_chain_verifies(org, power):
    # an entry written by the real services before and after the generated ones
    from tests.powerlist.helpers import confirm

    confirm(org, power)
    generate_province(powers=80, seed=5)
    assert ReviewLogEntry.objects.filter(action="create").count() >= 80
    assert all(r.ok for r in operation_record_verify(full=True))
    pending = Power.objects.filter(state=ReviewState.DEPARTMENT_REVIEW, region__code__startswith="99").first()
    reviewer = User.objects.get(department=pending.department, role_assignments__role="department_reviewer")
    review_approve(user=reviewer, obj=pending)
    assert all(r.ok for r in operation_record_verify(full=True))


@pytest.mark.django_db
def test_generated_accounts_log_in_and_see_their_department(client):
    generate_province(powers=60, seed=0, password="bench-pass-42")
    clerk = User.objects.get(username="g990000-d01-clerk")
    assert clerk.check_password("bench-pass-42")
    assert client.login(username="g990000-office", password="bench-pass-42")
    response = client.get("/powers/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0


@pytest.mark.django_db
def test_command_reports_and_refuses_to_generate_twice():
    from io import StringIO

    out = StringIO()
    call_command("generate_province", "--powers", "40", "--seed", "9", stdout=out)
    assert "40 powers" in out.getvalue()
    assert User.objects.get(username="g990000-legal").check_password(DEFAULT_PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_province", "--powers", "40", stdout=StringIO())
    assert Power.objects.count() == 40
