"""The assessment's exports, written by Celery jobs (powerlist.jobs): a workbook with
one row per department, and a PDF with the tables and the same SVG charts as the page
(WeasyPrint, with the CJK font named in the CSS so Chinese is drawn and searchable)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook

from powerlist.jobs.runner import job_start
from powerlist.models import Region
from powerlist.org.permissions import require
from supervision.assessment import selectors as sel
from supervision.assessment.indicators_def import INDICATORS, Grade
from supervision.assessment.permissions import can_view_assessment


def assessment_export_start(*, user, region, year, quarter, fmt):
    """Queue the export of a quarter as "xlsx" or "pdf"; returns the Job."""
    require(can_view_assessment(user, region))
    task = {"xlsx": "supervision.assessment_export_xlsx", "pdf": "supervision.assessment_export_pdf"}[fmt]
    return job_start(kind="assessment_export", user=user, task=task, message=_("排队中…"),
                     params={"filters": {"region": region.pk, "year": year, "quarter": quarter}})


def _rows(user, filters):
    region = Region.objects.get(pk=filters["region"])
    require(can_view_assessment(user, region))
    return region, sel.results_for(region=region, year=filters["year"], quarter=filters["quarter"])


def assessment_xlsx_to(stream, *, user, filters, progress):
    """One sheet, one row per department (rank, department, each indicator's score,
    total, grade); returns the number of rows."""
    region, rows = _rows(user, filters)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{filters['year']}Q{filters['quarter']}")
    sheet.append([_("%(region)s %(year)s 年第 %(quarter)s 季度绩效考核") % {
        "region": region.name, "year": filters["year"], "quarter": filters["quarter"]}])
    sheet.append([_("排名"), _("部门")] + [str(i.label) for i in INDICATORS] + [_("综合得分"), _("等次")])
    for n, row in enumerate(rows, start=1):
        sheet.append([row.rank, row.department.name] + [float(row.values.get(i.key, 0)) for i in INDICATORS]
                     + [float(row.score), str(Grade.LABELS[row.grade])])
        progress(n, len(rows))
    book.save(stream)
    return len(rows)


def assessment_pdf_html(*, region, year, quarter, rows):
    title = _("%(region)s %(year)s 年第 %(quarter)s 季度绩效考核") % {
        "region": region.name, "year": year, "quarter": quarter}
    return render_to_string("supervision/assessment_pdf.html", {
        "title": title, "rows": rows, "indicators": INDICATORS,
        "ranking_svg": sel.ranking_chart(rows, _("综合得分排名")),
        "trend_svg": sel.trend_chart(sel.trend(region=region, year=year, quarter=quarter), _("平均得分趋势")),
        "breakdowns": [(row, sel.breakdown_chart(row, _("%(department)s 各项指标") % {
            "department": row.department.name})) for row in rows],
    })


def assessment_pdf_to(stream, *, user, filters, progress):
    """The PDF of a quarter: ranking, trend, the table and each department's breakdown."""
    from weasyprint import HTML  # heavy import, only in the worker

    region, rows = _rows(user, filters)
    progress(0, len(rows), _("正在生成 PDF…"))
    html = assessment_pdf_html(region=region, year=filters["year"], quarter=filters["quarter"], rows=rows)
    HTML(string=html).write_pdf(stream)
    progress(len(rows), len(rows))
    return len(rows)
