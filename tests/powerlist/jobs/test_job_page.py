"""A job page says what the job is and leads back to the page that started it."""

import pytest
from django.urls import reverse

from powerlist.jobs.models import Job

pytestmark = pytest.mark.django_db


def _page(client, job):
    return client.get(reverse("powerlist:job_detail", args=[job.pk])).content.decode()


@pytest.mark.parametrize("kind, params, title, back_url, back_label", [
    ("power_import", {"filename": "发展改革委权力清单.xlsx"}, "导入行政权力事项:发展改革委权力清单.xlsx",
     "/powers/import/", "返回导入页面"),
    ("power_export", {"filters": {}}, "导出行政权力事项", "/powers/", "返回权力事项"),
    ("riskpoint_import", {"filename": "风险点.xlsx"}, "导入廉政风险点:风险点.xlsx",
     "/riskpoints/import/", "返回导入页面"),
    ("riskpoint_export", {"filters": {}}, "导出廉政风险点", "/riskpoints/", "返回风险点列表"),
])
def test_job_page_names_the_job_and_leads_back(client, org, kind, params, title, back_url, back_label):
    job = Job.objects.create(kind=kind, user=org.clerk, params=params, message="排队等待…")
    client.force_login(org.clerk)
    body = _page(client, job)
    assert f"<h1>{title}</h1>" in body
    assert f"<title>{title} · " in body
    assert f'<p class="breadcrumb"><a href="{back_url}">{back_label}</a></p>' in body


def test_finished_job_offers_the_way_back_beside_its_result(client, org):
    job = Job.objects.create(kind="power_import", user=org.clerk, params={"filename": "a.xlsx"},
                             state=Job.State.SUCCEEDED, message="已导入 3 条")
    client.force_login(org.clerk)
    response = client.get(reverse("powerlist:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert '<a class="btn" href="/powers/import/">返回导入页面</a>' in body
    assert '<a class="btn" href="/workspace/">工作台</a>' in body


def test_a_job_of_an_unknown_kind_is_a_background_job_leading_to_the_workspace(client, org):
    job = Job.objects.create(kind="something_else", user=org.clerk)
    client.force_login(org.clerk)
    body = _page(client, job)
    assert "<h1>后台任务</h1>" in body
    assert '<a href="/workspace/">返回工作台</a>' in body
