"""riskpoints' panels on powerlist's pages (registered in RiskpointsConfig.ready)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from riskpoints.models import ExpertAssignment
from tests.powerlist.factories import PowerFactory
from tests.riskpoints.factories import RiskPointFactory

pytestmark = pytest.mark.django_db


def test_power_page_links_to_the_powers_risk_points_after_the_flowchart(client, org):
    power = PowerFactory(department=org.dept, division=org.division)
    client.force_login(org.clerk)
    body = client.get(reverse("powerlist:power_detail", args=[power.pk])).content.decode()
    link = f'href="{reverse("riskpoints:power", args=[power.pk])}"'
    assert body.count(link) == 1
    assert body.index('id="flowchart-heading"') < body.index('id="risk-heading"') < body.index(link)


def test_expert_page_lists_the_experts_assignments(client, org):
    point = RiskPointFactory(power=PowerFactory(department=org.dept, division=org.division, code="XK-77"))
    ExpertAssignment.objects.create(riskpoint=point, expert=org.expert, assigned_by=org.office_reviewer,
                                    round_version=point.version, assigned_at=timezone.now())
    client.force_login(org.expert)
    body = client.get("/workspace/expert/").content.decode()
    assert 'id="expert-heading"' in body
    assert f'href="{reverse("riskpoints:detail", args=[point.pk])}"' in body


def test_other_role_pages_have_no_expert_section(client, org):
    client.force_login(org.clerk)
    assert 'id="expert-heading"' not in client.get("/workspace/clerk/").content.decode()
