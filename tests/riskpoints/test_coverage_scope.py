"""The office's coverage lists read the regions below only past the draft stage."""

import pytest

from riskpoints import selectors as sel
from tests.powerlist.factories import PowerFactory
from tests.riskpoints.factories import RiskPointFactory


@pytest.mark.django_db
def test_province_office_never_sees_a_citys_drafts_in_coverage(org):
    own_draft = PowerFactory(department=org.dept, division=org.division)
    city_draft = PowerFactory(department=org.city_dept, division=org.city_division)
    city_submitted = PowerFactory(department=org.city_dept, division=org.city_division, state="office_review")
    city_with_point = PowerFactory(department=org.city_dept, division=org.city_division, state="confirmed")
    RiskPointFactory(power=city_with_point)  # a draft point of the city: not counted for the province
    scope = ("region", org.province)

    listed = set(sel.uncovered_powers(scope=scope).values_list("pk", flat=True))
    assert own_draft.pk in listed and city_submitted.pk in listed
    assert city_draft.pk not in listed

    rows, total = sel.coverage_rows(scope=scope)
    city_row = next(r for r in rows if r["group"] == org.city_dept)
    assert (city_row["powers"], city_row["points"]) == (2, 0)

    city_rows, city_total = sel.coverage_rows(scope=("region", org.city))
    assert (city_total["powers"], city_total["points"]) == (3, 1)  # the city sees its own drafts
