"""The power template as a workbook: empty (to fill in) or filled with a visible list."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from powerlist.catalogue.selectors import category_list, power_list
from powerlist.jobs.runner import job_start

from .columns import COLUMNS, HEADERS, INFO_HEADERS
from .values import LIST_PREFETCH, field_value
from .imports import GUIDE_SHEET

SHEET_TITLE = "权力事项"
EXPORT_CHUNK = 2000
# Lists up to this size download at once; larger ones run as a background job.
EXPORT_STREAM_LIMIT = 2000
POWER_EXPORT_TASK = "powerlist.tasks.power_export_task"
EXAMPLE_ROW = {
    "code": "示例-210000-FG-XK-001",
    "name": "企业投资项目核准",
    "parent_code": "",
    "category": "行政许可",
    "disposition": "保留",
    "disposition_reason": "",
    "legal_bases": "《企业投资项目核准和备案管理条例》第三条 对关系国家安全……的项目,实行核准管理。\n"
                   "《中华人民共和国行政许可法》第四十二条 行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。",
    "exercise_level": "直接行使",
    "division": "投资处",
    "responsible_leader": "张三(副主任)",
    "staff_duties": "受理岗:接收材料;审查岗:审查;决定岗:签发。",
    "responsibility_items": "1.受理责任:公示申请条件和材料目录,一次性告知需补正的材料。\n"
                            "2.审查责任:对申请材料进行审查,必要时现场核查。\n"
                            "3.决定责任:在法定期限内作出核准或不予核准的决定。\n"
                            "4.送达责任:制作并送达核准文件,依法公开。\n"
                            "5.事后监管责任:对项目建设情况进行监督检查。",
    "conditions": "符合国家产业政策,材料齐全。",
    "statutory_limit_days": 20,
    "promised_limit_days": 10,
    "service_commitment": "一次性告知所需材料。",
    "work_discipline": "不得索取或收受申请人财物。",
    "accountability_circumstances": "1.对符合法定条件的申请不予受理的;\n2.不在法定期限内作出决定的;\n"
                                    "3.索取或者收受申请人财物的。",
    "fee_basis": "不收费",
    "remarks": "",
}


def _styles():
    return {
        "header": (Font(bold=True), PatternFill("solid", fgColor="DDEBF7"), Alignment(wrap_text=True, vertical="center")),
        "body": Alignment(wrap_text=True, vertical="top"),
    }


def _new_sheet(workbook, *, extra_headers=()):
    sheet = workbook.create_sheet(SHEET_TITLE)
    for i, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    for j, _header in enumerate(extra_headers, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(j)].width = 16
    sheet.freeze_panes = "C2"
    font, fill, alignment = _styles()["header"]
    cells = []
    for header in (*HEADERS, *extra_headers):
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill, cell.alignment = font, fill, alignment
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _row_cells(sheet, values, alignment):
    cells = []
    for value in values:
        if isinstance(value, str):
            # Control characters pasted from other programs would make openpyxl refuse the file.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value:
            cell.alignment = alignment
            # Text typed as "=..." stays text: Excel must never run it as a formula.
            cell.data_type = "s"
        cells.append(cell)
    return cells


def _power_values(power):
    """A power's row of the template: its own values (a sub-item's blanks stay blank,
    so the import reads them back as inherited), then the department and review state."""
    return [field_value(power, column.field) for column in COLUMNS] + [
        power.department.name, power.get_state_display()]


def _guide_sheet(workbook):
    sheet = workbook.create_sheet(GUIDE_SHEET)
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 90
    sheet.append([_("列名"), _("填写说明")])
    for column in COLUMNS:
        sheet.append([column.header, str(column.help)])
    sheet.append([])
    sheet.append([_("职权类别"), _("可填的类别(带或不带“行政”均可)")])
    for category in category_list():
        sheet.append([category.name, category.short_name or ""])
    sheet.append([])
    sheet.append([_("其他"), _("表头上方可以有标题行;空行会被忽略;事项编码以“示例”开头的行不会导入。"
                             "导入时任何一行有错误,整个文件都不会保存,请按错误明细修改后重新导入。")])


def power_template(*, user=None):
    """The empty template: headers, one example row (not imported; it names the user's
    division) and the 填写说明 sheet."""
    example = dict(EXAMPLE_ROW)
    if user is not None and user.division_id:
        example["division"] = user.division.name
    workbook = Workbook(write_only=True)
    sheet = _new_sheet(workbook)
    sheet.append(_row_cells(sheet, [example[c.field] for c in COLUMNS], _styles()["body"]))
    _guide_sheet(workbook)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def power_export_to(stream, *, user, filters=None, progress=None):
    """Write the user's visible power list (selectors.power_list with `filters`) into
    `stream` as the template filled in, plus the department and review state for the
    reader (the import ignores those two columns). Returns the number of rows.
    `progress(done, total)` is called every EXPORT_CHUNK rows."""
    powers = power_list(user=user, filters=filters).select_related("parent").prefetch_related(*LIST_PREFETCH)
    total = powers.count() if progress else None
    workbook = Workbook(write_only=True)
    sheet = _new_sheet(workbook, extra_headers=INFO_HEADERS)
    alignment = _styles()["body"]
    done = 0
    for power in powers.iterator(chunk_size=EXPORT_CHUNK):
        sheet.append(_row_cells(sheet, _power_values(power), alignment))
        done += 1
        if progress and done % EXPORT_CHUNK == 0:
            progress(done, total)
    _guide_sheet(workbook)
    workbook.save(stream)
    return done


def power_export(*, user, filters=None):
    """The user's visible power list as .xlsx bytes in the template's format."""
    stream = io.BytesIO()
    power_export_to(stream, user=user, filters=filters)
    return stream.getvalue()


def power_export_start(*, user, filters):
    """Queue the export of a large list: a Job (kind "power_export") whose task writes
    the workbook into job.output_file once the transaction commits."""
    return job_start(kind="power_export", user=user, task=POWER_EXPORT_TASK, params={"filters": filters},
                     message=_("排队等待导出…"))
