"""One error contract on pages and API alike (docs/architecture.md, "Where each rule
lives"): a stale version is a Conflict — 409 in the API, the '已被他人修改' message on
the page, nothing written; an item the user may not read is 404; one they may read but
not act on is 403 with the reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from powerlist.errors import Conflict
from powerlist.models import Flowchart
from powerlist.review.engine import TransitionConflict
from riskpoints.models import RiskPoint
from riskpoints.services import riskpoint_update
from tests.powerlist.factories import PowerFactory
from tests.powerlist.flowchart_helpers import linear
from tests.riskpoints.factories import RiskPointFactory

pytestmark = pytest.mark.django_db

STALE = "该风险点已被他人修改,请刷新页面后再编辑。"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_transition_conflict_is_the_common_conflict():
    assert issubclass(TransitionConflict, Conflict)
    assert issubclass(Conflict, ValidationError)


def test_riskpoint_service_raises_conflict_on_a_stale_version(org, power):
    """The check under the row lock (a race the API's read cannot see) is the Conflict."""
    rp = RiskPointFactory(power=power, description="原内容")
    with pytest.raises(Conflict, match=STALE):
        riskpoint_update(user=org.clerk, riskpoint=rp, data={"description": "新"}, expected_version=rp.version + 1)
    assert RiskPoint.objects.get(pk=rp.pk).description == "原内容"


@pytest.mark.parametrize("kind", ["power", "riskpoint", "flowchart", "flow_action"])
def test_a_stale_version_is_409_in_the_api(org, power, kind):
    client = api(org.clerk)
    if kind == "power":
        response = client.patch(f"/api/v1/powers/{power.pk}/", {"name": "改", "version": power.version + 1},
                                format="json")
    elif kind == "riskpoint":
        rp = RiskPointFactory(power=power)
        response = client.patch(f"/api/v1/riskpoints/{rp.pk}/", {"description": "改", "version": rp.version + 1},
                                format="json")
    elif kind == "flowchart":
        chart = linear(power, ["受理", "办结"])
        response = client.put(f"/api/v1/flowcharts/{chart.pk}/content/",
                              {"title": "流程图", "steps": [], "transitions": [], "version": chart.version + 1},
                              format="json")
    else:
        response = client.post(f"/api/v1/powers/{power.pk}/submit/", {"version": power.version + 1},
                               format="json")
    assert response.status_code == 409, response.content
    assert "已被他人" in response.json()["detail"]


def test_a_stale_riskpoint_page_shows_the_message_and_keeps_the_content(client, org, power):
    rp = RiskPointFactory(power=power, description="原内容")
    client.force_login(org.clerk)
    url = reverse("riskpoints:edit", args=[rp.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(description="旧页面的修改", version=rp.version)
    RiskPoint.objects.filter(pk=rp.pk).update(version=rp.version + 1)
    response = client.post(url, data)
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert RiskPoint.objects.get(pk=rp.pk).description == "原内容"


@pytest.mark.parametrize("url_name", ["riskpoints:detail", "riskpoints:edit"])
def test_an_unreadable_riskpoint_is_404_on_the_page_and_in_the_api(client, org, url_name):
    foreign = RiskPointFactory(power=PowerFactory(department=org.city_dept, division=org.city_division))
    client.force_login(org.clerk)
    assert client.get(reverse(url_name, args=[foreign.pk])).status_code == 404
    assert api(org.clerk).get(f"/api/v1/riskpoints/{foreign.pk}/").status_code == 404


def test_readable_but_not_editable_is_403_with_the_reason(client, org, power):
    rp = RiskPointFactory(power=power)
    client.force_login(org.dept_reviewer)
    response = client.get(reverse("riskpoints:edit", args=[rp.pk]))
    assert response.status_code == 403
    assert "只有本部门(处室)的经办人可以编辑该事项。" in response.content.decode()
    response = api(org.dept_reviewer).patch(f"/api/v1/riskpoints/{rp.pk}/", {"description": "改"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有本部门(处室)的经办人可以编辑该事项。"


def test_a_flowchart_stale_save_through_the_api_changes_nothing(org, power):
    chart = linear(power, ["受理", "办结"])
    api(org.clerk).put(f"/api/v1/flowcharts/{chart.pk}/content/",
                       {"title": "新标题", "steps": [], "transitions": [], "version": chart.version + 1},
                       format="json")
    assert Flowchart.objects.get(pk=chart.pk).title == chart.title
