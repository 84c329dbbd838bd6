import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"category": "abc"}, {"department": "x1"}, {"category": "1", "department": "2"}])
def test_flowchart_list_ignores_non_numeric_ids(client, org, params):
    client.force_login(org.office_reviewer)
    assert client.get(reverse("powerlist:flowchart_list"), params).status_code == 200
