"""Excel import (all or nothing, row-by-row errors) and export of risk points and measures."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from config.celery import app as celery_app
from powerlist.models import Job
from riskpoints.models import Countermeasure, RiskPoint
from riskpoints.services.spreadsheets import (
    MEASURE_COLUMNS,
    MEASURE_SHEET,
    POINT_COLUMNS,
    POINT_SHEET,
    riskpoint_export,
    riskpoint_import,
)
from tests.riskpoints.factories import CountermeasureFactory, RiskPointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def workbook(points, measures):
    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, rows in ((POINT_SHEET, POINT_COLUMNS, points), (MEASURE_SHEET, MEASURE_COLUMNS, measures)):
        sheet = wb.create_sheet(title)
        sheet.append([h for h, _f, _k in columns])
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()


def point_row(code, number=1, level="高", **over):
    row = [code, number, "决策", "审批岗", "业务流程", "违规核准", "降低标准", 5, 5, level, "", "抽查不合格率",
           "王经办", "李处长", "2027-06-30"]
    for index, value in over.items():
        row[int(index[1:])] = value
    return row


def measure_row(code, point=1, number=1, kind="建立制度", deadline="2027-12-31"):
    return [code, point, number, kind, "建立集体审议制度", "投资处", "王经办", deadline, "计划中"]


def test_import_creates_points_and_measures(org, power):
    result = riskpoint_import(user=org.clerk, file=workbook(
        [point_row(power.code, 1), point_row(power.code, 2, level="中", c10="已有电子监察")],
        [measure_row(power.code, 1, 1), measure_row(power.code, 1, 2, kind="信息化监控"),
         measure_row(power.code, 2, 1)]))
    assert result["ok"], result["errors"]
    assert (result["created"], result["measures_created"]) == (2, 3)
    point = RiskPoint.objects.get(power=power, number=1)
    assert point.stage == "decision" and point.level == "high" and point.countermeasures.count() == 2
    assert point.countermeasures.get(number=2).kind == Countermeasure.Kind.IT_MONITORING


def test_import_is_all_or_nothing_with_row_and_column_errors(org, power):
    result = riskpoint_import(user=org.clerk, file=workbook(
        [point_row(power.code, 1), point_row("NO-SUCH", 1), point_row(power.code, 2, c2="不知道", c7="九")],
        [measure_row(power.code, 1, 1, deadline="明年")]))
    assert not result["ok"]
    places = {(e["row"], e["column"]) for e in result["errors"]}
    assert ("廉政风险点 3", "事项编码") in places
    assert ("廉政风险点 4", "权力运行环节") in places and ("廉政风险点 4", "发生可能性") in places
    assert ("防范措施 2", "完成时限") in places
    assert not RiskPoint.objects.exists() and not Countermeasure.objects.exists()


def test_import_refuses_changes_to_submitted_points(org, power):
    rp = RiskPointFactory(power=power, number=1, state="department_review")
    result = riskpoint_import(user=org.clerk, file=workbook([point_row(power.code, 1)], []))
    assert not result["ok"] and "不能编辑" in result["errors"][0]["message"]
    rp.refresh_from_db()
    assert rp.description == "违规核准不符合产业政策的项目"


def test_import_refused_for_other_department(org, power):
    result = riskpoint_import(user=org.other_clerk, file=workbook([point_row(power.code, 1)], []))
    assert not result["ok"] and not RiskPoint.objects.exists()


def test_export_round_trips(org, power):
    rp = RiskPointFactory(power=power, number=3)
    CountermeasureFactory(riskpoint=rp, number=1)
    data = riskpoint_export(user=org.clerk)
    wb = load_workbook(io.BytesIO(data))
    points = list(wb[POINT_SHEET].iter_rows(values_only=True))
    assert points[1][:3] == (power.code, 3, "决策")
    measures = list(wb[MEASURE_SHEET].iter_rows(values_only=True))
    assert measures[1][:3] == (power.code, 3, 1)
    assert riskpoint_export(user=org.city_clerk) != data
    again = riskpoint_import(user=org.clerk, file=data)  # the export is the import template
    assert again["ok"], again["errors"]
    assert (again["updated"], again["measures_updated"]) == (1, 1)


def test_upload_page_runs_the_job(client, org, power, eager, django_capture_on_commit_callbacks):
    client.force_login(org.clerk)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("风险点.xlsx", workbook([point_row(power.code, 1)], [measure_row(power.code)]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("riskpoints:import"), {"file": upload})
    job = Job.objects.get(kind="riskpoint_import")
    assert response.url == reverse("powerlist:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.result["created"] == 1


def test_export_page_runs_the_job(client, org, power, eager, django_capture_on_commit_callbacks):
    RiskPointFactory(power=power)
    client.force_login(org.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("riskpoints:export"), {})
    job = Job.objects.get(kind="riskpoint_export")
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.output_file
