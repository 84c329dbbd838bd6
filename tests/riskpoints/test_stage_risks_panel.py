"""Issue 10, part 2: on the power page a reviewer sees each responsibility stage with its
flowchart steps, their posts, and (riskpoints' panel) the risk points and countermeasures
on those steps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from powerlist.catalogue.services import power_update
from tests.powerlist.factories import PowerFactory
from tests.powerlist.flowchart_helpers import linear
from tests.riskpoints.factories import CountermeasureFactory, RiskPointFactory

pytestmark = pytest.mark.django_db


def test_risks_and_measures_show_under_the_stage_of_their_step(client, org):
    power = PowerFactory(department=org.dept, division=org.division)
    chart = linear(power, ["受理", "审查", "决定"])
    accept, review, _decide = chart.steps.order_by("order")
    power_update(user=org.clerk, power=power, data={}, responsibility_items=[
        {"stage": "acceptance", "text": "依法受理。", "steps": [accept.pk]},
        {"stage": "examination", "text": "依法审查。", "steps": [review.pk]},
    ])
    on_review = RiskPointFactory(power=power, step=review, description="审查时放宽标准")
    CountermeasureFactory(riskpoint=on_review, text="两人以上共同审查")
    RiskPointFactory(power=power, description="没有对应环节的风险")
    client.force_login(org.dept_reviewer)

    body = client.get(reverse("powerlist:power_detail", args=[power.pk])).content.decode()

    panel = body[body.index('id="stage-risks-heading"'):]
    assert "审查责任(审查 · 受理岗)" in panel and "审查时放宽标准" in panel and "两人以上共同审查" in panel
    assert "受理责任" not in panel  # no risk on that stage
    assert panel.index("未对应到责任环节的风险点") < panel.index("没有对应环节的风险")
    # The stage table of the power page names the steps and their posts.
    assert "审查(受理岗)" in body


def test_the_panel_costs_the_same_queries_for_more_points(client, org):
    power = PowerFactory(department=org.dept, division=org.division)
    step = linear(power, ["受理", "决定"]).steps.order_by("order").first()
    power_update(user=org.clerk, power=power, data={}, responsibility_items=[
        {"stage": "acceptance", "text": "依法受理。", "steps": [step.pk]}])
    client.force_login(org.clerk)
    counts = []
    for n in (1, 5):
        for _ in range(n):
            CountermeasureFactory(riskpoint=RiskPointFactory(power=power, step=step))
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("powerlist:power_detail", args=[power.pk]))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
