"""The supervisors' and the department's pages: who sees what, constant queries, the
deploy check for the key."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from supervision.complaints.checks import check_identity_key
from supervision.complaints.crypto import DEVELOPMENT_KEY, identity_decrypt, identity_encrypt
from supervision.complaints.flow import ComplaintState
from supervision.complaints.models import ComplaintIdentity
from tests.supervision.complaints.helpers import CANARY_NAME, CANARY_PHONE, drive, file_complaint


def test_list_scoped_and_constant_queries(client, org, django_assert_max_num_queries):
    for _i in range(3):
        file_complaint(org.dept)
    file_complaint(org.city_dept)
    client.force_login(org.supervisor)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("supervision:complaint_list"))
    for _i in range(20):
        file_complaint(org.other_dept)
    with django_assert_max_num_queries(12):
        big = client.get(reverse("supervision:complaint_list"))
    assert small.context["page"].paginator.count == 4 and big.context["page"].paginator.count == 24


def test_department_sees_only_its_redacted_copy_once_assigned(client, org):
    complaint = file_complaint(org.dept, name=CANARY_NAME, phone=CANARY_PHONE,
                               content=f"经办人刁难我,我的电话{CANARY_PHONE}。")
    client.force_login(org.clerk)
    assert client.get(reverse("supervision:complaint_copy", args=[complaint.pk])).status_code == 404
    assert client.get(reverse("supervision:complaint_detail", args=[complaint.pk])).status_code == 404
    drive(complaint, ComplaintState.ASSIGNED, supervisor=org.supervisor)
    detail = client.get(reverse("supervision:complaint_detail", args=[complaint.pk]))
    assert detail.status_code == 302 and detail["Location"] == reverse("supervision:complaint_copy", args=[complaint.pk])
    copy = client.get(reverse("supervision:complaint_copy", args=[complaint.pk])).content.decode()
    assert "经办人刁难我,我的电话***。" in copy and CANARY_PHONE not in copy
    client.force_login(org.other_clerk)
    assert client.get(reverse("supervision:complaint_copy", args=[complaint.pk])).status_code == 404


def test_supervisor_page_offers_identity_only_to_the_handling_region(client, org):
    complaint = file_complaint(org.city_dept, name=CANARY_NAME, phone=CANARY_PHONE)
    client.force_login(org.supervisor)  # province: reads the city's complaint, does not handle it
    page = client.get(reverse("supervision:complaint_detail", args=[complaint.pk]))
    assert page.status_code == 200 and not page.context["can_view_identity"] and not page.context["actions"]
    assert client.post(reverse("supervision:complaint_identity", args=[complaint.pk])).status_code == 403


def test_action_page_refusals(client, org):
    complaint = file_complaint(org.dept)
    client.force_login(org.supervisor)
    url = reverse("supervision:complaint_action", args=[complaint.pk, "decline"])
    response = client.post(url, {"version": complaint.version, "comment": ""}, follow=True)
    assert "必须填写意见" in response.content.decode()
    assert client.post(reverse("supervision:complaint_action", args=[complaint.pk, "reply"]),
                       {"version": complaint.version, "comment": "x"}).status_code == 403
    assert client.post(reverse("supervision:complaint_action", args=[complaint.pk, "nope"]),
                       {"version": 1}).status_code == 404
    client.force_login(org.office_reviewer)
    assert client.post(url, {"version": complaint.version, "comment": "x"}).status_code == 404


def test_workspace_panel_shows_overdue_acceptances(client, org):
    complaint = file_complaint(org.dept)
    type(complaint).objects.filter(pk=complaint.pk).update(accept_due_on="2020-01-01")
    client.force_login(org.supervisor)
    page = client.get(reverse("powerlist:workspace_role", args=["supervision"])).content.decode()
    assert "1 件投诉超过 5 个工作日未受理" in page and complaint.tracking_code in page


def test_deploy_check_demands_a_real_key(settings):
    settings.COMPLAINT_IDENTITY_KEY = ""
    assert [e.id for e in check_identity_key()] == ["supervision.E201"]
    settings.COMPLAINT_IDENTITY_KEY = DEVELOPMENT_KEY
    assert [e.id for e in check_identity_key()] == ["supervision.E201"]
    settings.COMPLAINT_IDENTITY_KEY = "not-a-key"
    assert [e.id for e in check_identity_key()] == ["supervision.E201"]
    settings.COMPLAINT_IDENTITY_KEY = "2EXVn3MBxIfFusnBRZ-ac06iqOLATJNaf-9tli56VsE="
    assert check_identity_key() == []


def test_check_deploy_command_fails_without_the_key(settings):
    settings.COMPLAINT_IDENTITY_KEY = ""
    with pytest.raises(SystemCheckError, match="supervision.E201"):
        call_command("check", "--deploy", "--fail-level", "ERROR", tags=["security"])


def test_old_key_still_reads_after_rotation(settings, org):
    complaint = file_complaint(org.dept, name=CANARY_NAME)
    old = settings.COMPLAINT_IDENTITY_KEY
    settings.COMPLAINT_IDENTITY_KEY = "2EXVn3MBxIfFusnBRZ-ac06iqOLATJNaf-9tli56VsE="
    settings.COMPLAINT_IDENTITY_OLD_KEYS = [old]
    token = ComplaintIdentity.objects.get(complaint=complaint).name_token
    assert identity_decrypt(token) == CANARY_NAME
    assert identity_decrypt(identity_encrypt("x")) == "x"
