"""An expert hears about an assignment to a risk point."""

import pytest
from django.core.exceptions import PermissionDenied

from powerlist.notifications.models import Notification
from powerlist.review.engine import review_approve, review_submit
from riskpoints.services import riskpoint_assign_experts
from tests.riskpoints.factories import CountermeasureFactory, RiskPointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def riskpoint_in_office_review(org, power):
    riskpoint = RiskPointFactory(power=power)
    CountermeasureFactory(riskpoint=riskpoint)
    riskpoint = review_submit(user=org.clerk, obj=riskpoint)
    return review_approve(user=org.dept_reviewer, obj=riskpoint)


def test_each_assigned_expert_gets_an_assignment_notice(org, riskpoint_in_office_review, django_capture_on_commit_callbacks):
    riskpoint = riskpoint_in_office_review
    second_expert = org.other_reviewer  # a leader of another member unit
    with django_capture_on_commit_callbacks(execute=True):
        riskpoint_assign_experts(user=org.office_reviewer, riskpoint=riskpoint, experts=[org.expert, second_expert])
    notices = Notification.objects.filter(kind="assignment").order_by("recipient_id")
    assert [n.recipient for n in notices] == sorted([org.expert, second_expert], key=lambda u: u.pk)
    label = f"{riskpoint.power.code}-{riskpoint.number} 违规核准不符合产业政策的项目"
    for notice in notices:
        assert notice.title == f"指派专家评审:{label}"
        assert notice.url == f"/riskpoints/{riskpoint.pk}/"
        assert notice.body == "廉政风险点 · 操作人:" + str(org.office_reviewer) + " · 当前状态:领导小组办公室审核中"
        assert notice.item_count == 1


def test_a_refused_assignment_notifies_nobody(org, riskpoint_in_office_review, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        riskpoint_assign_experts(user=org.clerk, riskpoint=riskpoint_in_office_review, experts=[org.expert])
    assert not Notification.objects.filter(kind="assignment").exists()
