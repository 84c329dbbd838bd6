"""The assessment: indicator values on a small region checked against a hand count
(tests/supervision/assessment_fixtures.py says what is in it), weights, grades,
publication and the beat task."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supervision.assessment.services import assessment_compute, assessment_publish_month, weights_set
from supervision.models import AssessmentResult
from tests.supervision.assessment_fixtures import AS_OF, build_region

pytestmark = pytest.mark.django_db

# Worked out by hand from the fixture's docstring.
EXPECTED_A = {
    "catalogue": "50.0",           # 1 of 2 main items complete
    "review": "50.0",              # 1 of 2 reviews within 5 days
    "disclosure": "50.0",          # 1 of 2 confirmed items published
    "cases": "66.7",               # 2 of 3 decided cases on time
    "cards": "85.0",               # 100 - 5 (yellow) - 10 (red)
    "complaints": "90.0",          # 1 complaint against it, 3 cases (base 100): 100 - 10
    "complaint_handling": "90.0",  # mean (20 + 14) / 2 = 17 days: 100 - 5 × 2
    "rectification": "33.3",       # 1 of 3 due by 11-30 filed on time and accepted
}
EXPECTED_B = {"catalogue": "0.0", "review": "100.0", "disclosure": "0.0", "cases": "100.0", "cards": "100.0",
              "complaints": "100.0", "complaint_handling": "100.0", "rectification": "100.0"}
# Default weights 20/10/15/20/10/10/5/10:
# A: (20×50 + 10×50 + 15×50 + 20×66.7 + 10×85 + 10×90 + 5×90 + 10×33.3) / 100 = 61.17 → 61.2 合格
# B: (10×100 + 20×100 + 10×100 + 10×100 + 5×100 + 10×100) / 100 = 65.0 合格


def test_indicator_values_match_the_hand_count(org, django_assert_max_num_queries):
    region = build_region(org)
    with django_assert_max_num_queries(12):
        assessment_compute(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    a = AssessmentResult.objects.get(department=region["a"], year=2026, quarter=4)
    b = AssessmentResult.objects.get(department=region["b"], year=2026, quarter=4)
    assert a.values == EXPECTED_A
    assert b.values == EXPECTED_B
    assert (a.score, a.grade, a.rank) == (Decimal("61.2"), "pass", 2)
    assert (b.score, b.grade, b.rank) == (Decimal("65.0"), "pass", 1)
    assert a.details["cards"] == {"yellow": 1, "red": 1}
    assert a.details["complaints"] == {"complaints": 1, "cases": 3}
    assert a.details["complaint_handling"]["mean_days"] == 17.0
    assert a.details["rectification"] == {"total": 3, "good": 1}
    assert AssessmentResult.objects.count() == 2  # the office is no department


def test_weights_change_the_score_and_grade(org):
    build_region(org)
    weights = {"catalogue": 0, "review": 0, "disclosure": 0, "cases": 0, "cards": 50, "complaints": 50,
               "complaint_handling": 0, "rectification": 0, "excellent_from": 95, "good_from": 85, "pass_from": 70}
    weights_set(user=org.office_reviewer, region=org.province, values=weights)
    assessment_compute(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    a = AssessmentResult.objects.get(department=org.dept)
    assert (a.score, a.grade) == (Decimal("87.5"), "good")  # (50×85 + 50×90) / 100


@pytest.mark.parametrize("change, field", [
    ({"cards": 11}, "__all__"),                       # sum 101
    ({"cards": -1}, "cards"),
    ({"cards": "10"}, "cards"),
    ({"good_from": 95}, "good_from"),                 # 优秀 90 > 良好 95 fails
])
def test_bad_weights_are_refused_and_nothing_is_saved(org, change, field):
    values = {"catalogue": 20, "review": 10, "disclosure": 15, "cases": 20, "cards": 10, "complaints": 10,
              "complaint_handling": 5, "rectification": 10, "excellent_from": 90, "good_from": 80, "pass_from": 60}
    values.update(change)
    with pytest.raises(ValidationError) as exc:
        weights_set(user=org.office_reviewer, region=org.province, values=values)
    assert field in exc.value.message_dict
    from supervision.models import AssessmentWeights
    assert not AssessmentWeights.objects.exists()


def test_only_the_regions_office_sets_weights(org):
    for user in (org.supervisor, org.clerk, org.city_office_reviewer):
        with pytest.raises(PermissionDenied):
            weights_set(user=user, region=org.province, values={})


def test_monthly_publication_publishes_the_quarter_so_far(org):
    build_region(org)
    assert assessment_publish_month(today=datetime.date(2026, 12, 1)) >= 2
    a = AssessmentResult.objects.get(department=org.dept)
    assert a.published_at is not None
    assert a.published["as_of"] == "2026-11-30" and a.published["values"] == EXPECTED_A
    # A later computation does not change what the public sees until the next publication.
    AssessmentResult.objects.filter(pk=a.pk).update(values={})
    assessment_compute(region=org.province, year=2026, quarter=4, as_of=datetime.date(2026, 11, 1))
    a.refresh_from_db()
    assert a.published["as_of"] == "2026-11-30"
