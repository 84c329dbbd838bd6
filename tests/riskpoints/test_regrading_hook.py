"""Changes in powerlist reach the confirmed risk points through powerlist.hooks."""

import pytest

from powerlist.catalogue.services import power_update
from powerlist.posts.services import post_update
from powerlist.review.engine import review_start_revision
from riskpoints.models import RiskPoint
from tests.powerlist.flowchart_helpers import PostFactory, linear
from tests.powerlist.helpers import confirm
from tests.riskpoints.factories import RiskPointFactory

pytestmark = pytest.mark.django_db(transaction=True)  # handlers run on commit


def _confirmed_point(power):
    return RiskPointFactory(power=power, state="confirmed")


def test_changing_a_revised_powers_duty_flags_its_confirmed_points(org, power):
    power = confirm(org, power)
    point = _confirmed_point(power)
    power = review_start_revision(user=org.clerk, obj=power)
    power_update(user=org.clerk, power=power, data={"promised_limit_days": 8})
    assert not RiskPoint.objects.get(pk=point.pk).regrading_required  # not a duty
    power_update(user=org.clerk, power=power, data={},
                 responsibility_items=[{"stage": "decision", "text": "新的行使职责"}])
    point.refresh_from_db()
    assert point.regrading_required and "职责" in point.regrading_note


def test_changing_a_posts_duties_flags_the_powers_it_handles(org, power):
    post = PostFactory(department=org.dept, name="审批岗")
    linear(power, ["受理", "审批"], posts=[post])
    point = _confirmed_point(power)
    untouched = _confirmed_point(
        type(power).objects.create(department=org.dept, region=org.province, division=org.division,
                                   code="X-2", name="另一事项", category=power.category)
    )
    post_update(user=org.clerk, post=post, data={"name": post.name, "duties": "改变后的岗位职责"})
    point.refresh_from_db()
    untouched.refresh_from_db()
    assert point.regrading_required and "审批岗" in point.regrading_note
    assert not untouched.regrading_required
