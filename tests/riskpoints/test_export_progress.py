import io

import pytest

from riskpoints.services import spreadsheets
from tests.powerlist.factories import PowerFactory
from tests.riskpoints.factories import RiskPointFactory


@pytest.mark.django_db
def test_risk_point_export_reports_progress(org, monkeypatch):
    monkeypatch.setattr(spreadsheets, "EXPORT_PROGRESS_EVERY", 2)
    for i in range(5):
        RiskPointFactory(power=PowerFactory(department=org.dept, division=org.division))
    seen = []
    count = spreadsheets.riskpoint_export_to(io.BytesIO(), user=org.clerk, progress=lambda d, t: seen.append((d, t)))
    assert count == 5 and seen == [(2, 5), (4, 5)]
