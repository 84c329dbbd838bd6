"""seed_demo gives the demo powers risk points, measures and a benchmark; idempotent."""

import pytest
from django.core.management import call_command

from powerlist.models import ReviewState
from riskpoints.models import Countermeasure, DiscretionBenchmark, ExpertAssignment, RiskPoint

# Both tests read one seed (tests/conftest.py: demo_seeded); each rolls back to it.
pytestmark = pytest.mark.django_db


def test_seed_demo_creates_risk_points_in_mixed_states(demo_seeded, settings):
    settings.DEBUG = True
    states = set(RiskPoint.objects.values_list("state", flat=True))
    assert {ReviewState.DRAFT, ReviewState.DEPARTMENT_REVIEW, ReviewState.OFFICE_REVIEW,
            ReviewState.CONFIRMED} <= states
    assert RiskPoint.objects.count() >= 10
    assert RiskPoint.objects.filter(level="high", stage="decision", description__contains="产业政策").exists()
    assert Countermeasure.objects.filter(state="in_force").exists()
    assert RiskPoint.objects.filter(step__isnull=False, post__isnull=False).exists()  # marked on flowcharts
    assert ExpertAssignment.objects.exclude(verdict="").exists()
    benchmark = DiscretionBenchmark.objects.get()
    assert benchmark.rows.count() == 4
    count = RiskPoint.objects.count()
    call_command("seed_demo", password="demo-pass-123", stdout=open("/dev/null", "w"))
    assert RiskPoint.objects.count() == count and DiscretionBenchmark.objects.count() == 1


def test_seed_demo_covers_every_level_and_every_stage(demo_seeded):
    """So the coverage views and the reviewers meet every case: a 低 point and a 考核-stage
    point among them, confirmed ones too, and each in the department's review."""
    points = RiskPoint.objects.all()
    assert set(points.values_list("level", flat=True)) == {"high", "medium", "low"}
    assert set(points.values_list("stage", flat=True)) == {"decision", "execution", "supervision", "assessment"}
    confirmed = points.filter(state=ReviewState.CONFIRMED)
    assert set(confirmed.values_list("level", flat=True)) == {"high", "medium", "low"}
    assert set(confirmed.values_list("stage", flat=True)) == {"decision", "execution", "supervision", "assessment"}
    in_review = points.filter(state=ReviewState.DEPARTMENT_REVIEW)
    assert in_review.filter(level="low", stage="assessment").exists()
