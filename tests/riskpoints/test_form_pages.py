"""The risk-point and countermeasure forms: an error summary at the top linking to each
field, a cancel button back to where the clerk came from, and the grading rule's hint in
category names, not codes."""

import pytest
from django.urls import reverse

from riskpoints.models import RiskGradingRule
from tests.riskpoints.factories import RiskPointFactory

pytestmark = pytest.mark.django_db


def _body(response):
    return response.content.decode()


def _summary(body):
    start = body.index('id="form-errors"')
    return body[start:body.index("</div>", start)]


def test_hint_names_the_categories_graded_high(client, org, power):
    client.force_login(org.clerk)
    body = _body(client.get(reverse("riskpoints:create", args=[power.pk])))
    assert "一律定为高的类别:内部重大事项决定、行政征收、行政处罚。" in body
    assert "ZD,ZS,CF" not in body


def test_hint_follows_the_regions_rule_and_keeps_an_unknown_code(client, org, power):
    RiskGradingRule.objects.create(region=org.province, high_category_codes="CF, XX")
    client.force_login(org.clerk)
    body = _body(client.get(reverse("riskpoints:create", args=[power.pk])))
    assert "一律定为高的类别:行政处罚、XX。" in body


def test_hint_without_categories_says_none(client, org, power):
    RiskGradingRule.objects.create(region=org.province, high_category_codes="")
    client.force_login(org.clerk)
    assert "一律定为高的类别:无。" in _body(client.get(reverse("riskpoints:create", args=[power.pk])))


def test_invalid_risk_point_lists_every_error_at_the_top(client, org, power):
    client.force_login(org.clerk)
    response = client.post(reverse("riskpoints:create", args=[power.pk]), {"stage": "decision"})
    assert response.status_code == 200
    body = _body(response)
    summary = _summary(body)
    assert body.index('id="form-errors"') < body.index('id="id_stage"')  # above the fields
    assert "请修改以下问题后再保存:" in summary
    assert '<a href="#id_source">风险来源:该字段是必填项。</a>' in summary
    assert '<a href="#id_description">' in summary


def test_new_risk_point_form_cancels_to_the_powers_risk_points(client, org, power):
    client.force_login(org.clerk)
    body = _body(client.get(reverse("riskpoints:create", args=[power.pk])))
    assert f'<a class="btn" href="{reverse("riskpoints:power", args=[power.pk])}">取消</a>' in body


def test_edit_form_cancels_to_the_risk_point(client, org, power):
    rp = RiskPointFactory(power=power)
    client.force_login(org.clerk)
    body = _body(client.get(reverse("riskpoints:edit", args=[rp.pk])))
    assert f'<a class="btn" href="{reverse("riskpoints:detail", args=[rp.pk])}">取消</a>' in body


def test_countermeasure_form_has_the_summary_and_a_cancel_button(client, org, power):
    rp = RiskPointFactory(power=power)
    client.force_login(org.clerk)
    response = client.post(reverse("riskpoints:measure_create", args=[rp.pk]), {"kind": "new_rule"})
    body = _body(response)
    assert '<a href="#id_text">' in _summary(body)
    assert f'<a class="btn" href="{reverse("riskpoints:detail", args=[rp.pk])}">取消</a>' in body
