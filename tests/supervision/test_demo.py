"""seed_demo gives the demo department cases in every state, overdue ones among them."""

from io import StringIO

import pytest
from django.core.management import call_command

from supervision.models import Alert, AlertKind, Case, CaseState

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_seeded, db):
    """The demo, seeded once for this module (tests/conftest.py: demo_seeded)."""


def test_demo_cases_in_every_state_with_overdue_ones(client, demo):
    assert set(Case.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert Alert.objects.filter(kind=AlertKind.YELLOW).exists() and Alert.objects.filter(kind=AlertKind.RED).exists()
    client.login(username="supervisor", password="demo-pass-2026")
    response = client.get("/supervision/")
    assert response.status_code == 200
    assert response.context["figures"]["open_overdue"] >= 2


def test_demo_cases_are_seeded_once(demo):
    count = Case.objects.count()
    call_command("seed_demo", "--password", "demo-pass-2026", "--force", stdout=StringIO())
    assert Case.objects.count() == count == 10


def test_demo_inspection_with_findings_and_a_published_assessment(client, demo):
    from supervision.models import AssessmentResult, Finding, InspectionPlan, Rectification

    plan = InspectionPlan.objects.get()
    assert Finding.objects.filter(plan=plan).count() == 2
    assert set(Rectification.objects.values_list("state", flat=True)) == {"open", "filed"}
    assert AssessmentResult.objects.filter(published_at__isnull=False).exists()
    call_command("seed_demo", "--password", "demo-pass-2026", "--force", stdout=StringIO())
    assert InspectionPlan.objects.count() == 1
    client.login(username="supervisor", password="demo-pass-2026")
    assert client.get(plan.get_absolute_url()).status_code == 200
