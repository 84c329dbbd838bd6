"""seed_demo adds complaints in every state, the overdue acceptance among them."""

from io import StringIO

import pytest
from django.core.management import call_command

from supervision.complaints.flow import ComplaintOutcome, ComplaintState
from supervision.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def test_demo_complaints_in_every_state(client):
    out = StringIO()
    call_command("seed_demo", "--password", "demo-pass-2026", "--force", stdout=out)
    assert set(Complaint.objects.values_list("state", flat=True)) == set(ComplaintState.values)
    assert set(Complaint.objects.exclude(outcome="").values_list("outcome", flat=True)) == {
        ComplaintOutcome.RESOLVED, ComplaintOutcome.WITHDRAWN}
    assert "示例投诉人" not in out.getvalue()
    client.login(username="supervisor", password="demo-pass-2026")
    page = client.get("/supervision/complaints/?overdue=1")
    assert [c.title for c in page.context["complaints"]] == ["举报材料无人受理"]
    count = Complaint.objects.count()
    call_command("seed_demo", "--password", "demo-pass-2026", "--force", stdout=StringIO())
    assert Complaint.objects.count() == count == 9
