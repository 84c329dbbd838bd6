"""The assessment pages, exports (Celery jobs: XLSX rows, PDF with the charts) and the
public page of published results."""

import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from powerlist.models import Job
from supervision.assessment.services import assessment_compute, assessment_publish
from supervision.models import AssessmentResult, AssessmentWeights
from tests.powerlist.factories import DepartmentFactory, PowerFactory
from tests.supervision.assessment_fixtures import AS_OF, build_region

pytestmark = pytest.mark.django_db
PAGE = reverse("supervision:assessment")


def _query(org):
    return f"?region={org.province.pk}&year=2026&quarter=4"


def _grow(org, n):
    for i in range(n):
        dept = DepartmentFactory(region=org.province, name=f"生成部门{n}-{i}")
        PowerFactory(department=dept, division__department=dept)
    for quarter, as_of in ((3, datetime.date(2026, 9, 30)), (4, AS_OF)):
        assessment_compute(region=org.province, year=2026, quarter=quarter, as_of=as_of)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_pages_take_a_constant_number_of_queries(client, org, django_assert_max_num_queries):
    client.force_login(org.office_reviewer)
    _grow(org, 2)
    assessment_publish(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    urls = [PAGE + _query(org), reverse("supervision:assessment_department", args=[org.dept.pk]) + _query(org),
            reverse("supervision:assessment_public", args=[org.province.code])]
    few = [_count(client, url)[0] for url in urls]
    _grow(org, 12)
    assessment_publish(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    many = [_count(client, url)[0] for url in urls]
    assert many == few
    with django_assert_max_num_queries(12):
        client.get(urls[0])
    _n, response = _count(client, urls[0])
    body = response.content.decode()
    assert body.count("<svg") == 2 and "生成部门12-11" in body and "2026Q3" in body


def test_department_reviewer_sees_only_their_department(client, org):
    build_region(org)
    assessment_compute(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    client.force_login(org.dept_reviewer)
    response = client.get(reverse("supervision:assessment_department", args=[org.dept.pk]) + _query(org))
    assert response.status_code == 200 and "61.2" in response.content.decode()
    assert client.get(reverse("supervision:assessment_department", args=[org.other_dept.pk])).status_code == 403
    assert client.get(PAGE + _query(org)).status_code == 403
    client.force_login(org.city_office_reviewer)
    assert client.get(PAGE + _query(org)).status_code == 403


def test_readers_cover_their_region_and_below_and_exports_check_the_same(client, org):
    client.force_login(org.office_reviewer)  # the province's office reads the city below it
    assert client.get(PAGE + f"?region={org.city.pk}&year=2026&quarter=4").status_code == 200
    for user in (org.city_office_reviewer, org.clerk):  # the city's office does not read the province
        client.force_login(user)
        response = client.post(reverse("supervision:assessment_export", args=["xlsx"]),
                               {"region": org.province.pk, "year": 2026, "quarter": 4})
        assert response.status_code == 403, user
    assert not Job.objects.exists()


def test_weights_form_refuses_a_bad_sum_and_saves_a_good_one(client, org):
    client.force_login(org.office_reviewer)
    url = reverse("supervision:assessment_weights") + f"?region={org.province.pk}"
    values = {"catalogue": 20, "review": 10, "disclosure": 15, "cases": 20, "cards": 10, "complaints": 10,
              "complaint_handling": 5, "rectification": 9, "excellent_from": 90, "good_from": 80, "pass_from": 60}
    response = client.post(url, values)
    assert response.status_code == 200 and "各项权重之和必须为 100,现在是 99" in response.content.decode()
    assert not AssessmentWeights.objects.exists()
    values["rectification"] = 10
    assert client.post(url, values).status_code == 302
    assert AssessmentWeights.objects.get(region=org.province).rectification == 10
    client.force_login(org.supervisor)
    assert client.get(url).status_code == 403


def test_public_page_shows_only_published_results(client, org):
    build_region(org)
    url = reverse("supervision:assessment_public", args=[org.province.code])
    assessment_compute(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    body = client.get(url).content.decode()
    assert "尚未公开考核结果" in body and "61.2" not in body
    assessment_publish(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    body = client.get(url).content.decode()
    assert "61.2" in body and "<svg" in body and "2026-11-30" in body


def _export(client, org, fmt, capture):
    client.force_login(org.office_reviewer)
    with capture(execute=True):
        response = client.post(reverse("supervision:assessment_export", args=[fmt]),
                               {"region": org.province.pk, "year": 2026, "quarter": 4})
    job = Job.objects.get(kind="assessment_export")
    assert response.status_code == 302 and response.url == reverse("powerlist:job_detail", args=[job.pk])
    assert job.state == Job.State.SUCCEEDED, job.message
    return job


def test_xlsx_export_has_a_row_per_department(client, org, django_capture_on_commit_callbacks):
    build_region(org)
    assessment_compute(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    job = _export(client, org, "xlsx", django_capture_on_commit_callbacks)
    with job.output_file.open("rb") as f:
        rows = list(load_workbook(io.BytesIO(f.read())).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("排名", "部门", "目录完整率")
    assert [r[:2] + r[-2:] for r in rows[2:]] == [(1, "财政厅", 65.0, "合格"), (2, "发展改革委", 61.2, "合格")]
    assert rows[3][2:10] == (50.0, 50.0, 50.0, 66.7, 85.0, 90.0, 90.0, 33.3)


def test_pdf_export_holds_the_charts(client, org, tmp_path, django_capture_on_commit_callbacks):
    build_region(org)
    assessment_compute(region=org.province, year=2026, quarter=3, as_of=datetime.date(2026, 9, 30))
    assessment_compute(region=org.province, year=2026, quarter=4, as_of=AS_OF)
    job = _export(client, org, "pdf", django_capture_on_commit_callbacks)
    path = tmp_path / "a.pdf"
    with job.output_file.open("rb") as f:
        path.write_bytes(f.read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "绩效考核" in text and "发展改革委" in text
    # The trend chart's axis labels are drawn only in the SVG (the tables have no quarters).
    assert "2026Q3" in text and "2026Q4" in text
    assert AssessmentResult.objects.count() == 4
