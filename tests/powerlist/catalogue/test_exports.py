"""Spreadsheet export of powers: the template, filled exports of visible lists, the
round trip back through the import, large exports as jobs, constant query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from powerlist.catalogue.spreadsheets import power_export, power_import, power_template
from powerlist.catalogue.spreadsheets.columns import HEADERS, INFO_HEADERS
from powerlist.catalogue.views import spreadsheets as spreadsheet_views
from powerlist.models import Job, Power
from tests.powerlist.factories import CategoryFactory, PowerFactory
from tests.powerlist.helpers import confirm
from tests.powerlist.spreadsheet_helpers import read_sheet

pytestmark = pytest.mark.django_db


def _powers(org, n, **kwargs):
    return PowerFactory.create_batch(n, department=org.dept, division=org.division, **kwargs)  # one basis each


def test_template_has_headers_an_example_row_and_the_guide(org):
    content = power_template(user=org.clerk)

    title, rows = read_sheet(content)
    assert title == "权力事项"
    assert rows[0] == list(HEADERS)
    assert rows[1][0].startswith("示例") and rows[1][HEADERS.index("内部负责机构")] == "投资处"
    # 行使层级 is a column of the template (issue 14: it was missing).
    assert rows[1][HEADERS.index("行使层级")] == "直接行使"
    guide_title, guide = read_sheet(content, sheet=1)
    assert guide_title == "填写说明"
    guide_text = "\n".join(str(c) for r in guide for c in r if c)
    assert all(h in guide_text for h in HEADERS)
    assert "行政许可" in guide_text and "许可" in guide_text and "行政处罚" in guide_text
    # The untouched template imports nothing (its example row is skipped).
    result = power_import(user=org.clerk, department=org.dept, rows_or_file=content)
    assert "没有可导入的数据行" in result.errors[0]["message"]


def test_export_fills_the_template_with_the_visible_list_only(org):
    mine = _powers(org, 2)
    PowerFactory(department=org.other_dept, division=org.other_dept_division, code="210000-CZ-1")

    _title, rows = read_sheet(power_export(user=org.clerk, filters={}))

    assert rows[0] == [*HEADERS, *INFO_HEADERS]
    assert sorted(r[0] for r in rows[1:]) == sorted(p.code for p in mine)
    first = next(r for r in rows[1:] if r[0] == mine[0].code)
    record = dict(zip(rows[0], first))
    assert record["职权类别"] == "行政许可" and record["处理结果"] == "保留"
    assert record["行使依据"].startswith("《中华人民共和国行政许可法》第四十二条 除可以当场")
    assert record["内部负责机构"] == "投资处" and record["法定时限(工作日)"] == 20
    assert record["实施部门"] == "发展改革委" and record["审核状态"] == "草稿"


def test_export_applies_the_list_filters(org):
    _powers(org, 2)
    penalty = CategoryFactory(code="CF")
    PowerFactory(department=org.dept, division=org.division, category=penalty, code="210000-FG-CF-1")

    _title, rows = read_sheet(power_export(user=org.clerk, filters={"category": penalty.pk}))

    assert [r[0] for r in rows[1:]] == ["210000-FG-CF-1"]


def test_round_trip_updates_without_duplicating(org):
    drafts = _powers(org, 3)
    confirmed = confirm(org, _powers(org, 1)[0])
    exported = power_export(user=org.clerk, filters={})

    again = power_import(user=org.clerk, department=org.dept, rows_or_file=exported)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)

    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.worksheets[0]
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == drafts[0].code:
            cells[1].value = "改过的名称"
    stream = io.BytesIO()
    workbook.save(stream)
    result = power_import(user=org.clerk, department=org.dept, rows_or_file=stream.getvalue())

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert Power.objects.count() == 4
    drafts[0].refresh_from_db()
    assert drafts[0].name == "改过的名称"
    assert [b.law_name for b in drafts[0].legal_bases.all()] == ["《中华人民共和国行政许可法》"]
    confirmed.refresh_from_db()
    assert confirmed.state == "confirmed"


def test_export_view_streams_small_lists_with_a_constant_query_count(client, org):
    client.force_login(org.clerk)
    url = reverse("powerlist:power_export")
    _powers(org, 2)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    _powers(org, 25)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "企业"})
    assert len(read_sheet(response.content)[1]) == 28
    assert len(many) == len(few)


def test_template_download_view(client, org):
    client.force_login(org.office_reviewer)
    response = client.get(reverse("powerlist:power_import_template"))
    assert response.status_code == 200
    assert read_sheet(response.content)[1][0] == list(HEADERS)


def test_large_export_runs_as_a_job_with_a_download(client, org, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(spreadsheet_views, "EXPORT_STREAM_LIMIT", 2)
    _powers(org, 3)
    client.force_login(org.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("powerlist:power_export"))
    job = Job.objects.get(kind="power_export")
    assert response.url == reverse("powerlist:job_detail", args=[job.pk])
    assert job.state == Job.State.SUCCEEDED and job.total == 3
    assert "下载结果文件" in client.get(response.url).content.decode()
    download = client.get(reverse("powerlist:job_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert len(read_sheet(content)[1]) == 4


def test_export_keeps_formula_like_text_as_text_and_drops_control_characters(org):
    PowerFactory(department=org.dept, division=org.division, code="210000-FG-XK-EQ",
                 name="=HYPERLINK(\"http://example.com\")", remarks="备注\x0b第二行")

    workbook = load_workbook(io.BytesIO(power_export(user=org.clerk, filters={})))
    cells = dict(enumerate(workbook.worksheets[0][2]))

    name, remarks = cells[HEADERS.index("事项名称")], cells[HEADERS.index("备注")]
    assert name.data_type == "s" and name.value == '=HYPERLINK("http://example.com")'
    assert remarks.value == "备注第二行"
