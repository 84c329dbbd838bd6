"""Export in the layout a region chooses (ExportLayout): the shape of a real 权责清单, one row
per main item without sub-items and one per sub-item, the main item's cells merged over
its sub-items' rows. The import reads such a file back into the same structure."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from powerlist.catalogue.models import ExportLayout
from powerlist.catalogue.selectors import power_list
from powerlist.jobs.runner import job_start

from .values import EXPORT_FIELDS, LIST_PREFETCH, field_value

# The layout of the national guidance's lists, for regions that stored none.
NATIONAL_LAYOUT = {
    "name": "权责清单(通用格式)",
    "title": "{department}权责清单",
    "merge_main_cells": True,
    "columns": [
        {"field": "serial", "header": "序号"},
        {"field": "code", "header": "职权编码"},
        {"field": "name", "header": "职权名称"},
        {"field": "sub_item_name", "header": "子项名称"},
        {"field": "category", "header": "职权类型"},
        {"field": "legal_bases", "header": "实施依据"},
        {"field": "implementing_body", "header": "实施主体"},
        {"field": "division", "header": "承办机构"},
        {"field": "responsibility_items", "header": "责任事项"},
        {"field": "accountability_circumstances", "header": "追责情形"},
        {"field": "forwarded", "header": "审核转报(是/否)"},
        {"field": "remarks", "header": "备注"},
    ],
}
# Cells that belong to the main item on a sub-item's row.
MAIN_COLUMNS = ("serial", "code", "name", "category", "implementing_body")
SHEET_TITLE = "权责清单"
EXPORT_CHUNK = 2000
POWER_EXPORT_LAYOUT_TASK = "powerlist.tasks.power_export_layout_task"


def export_layout_for(region):
    """The layout the region (or the nearest region above it) chose, else the national one,
    as a dict like NATIONAL_LAYOUT. One query."""
    codes = [c for c in (region.path or "").split("/") if c]
    layouts = {layout.region.code: layout for layout in
               ExportLayout.objects.filter(region__code__in=codes, is_default=True).select_related("region")}
    for code in reversed(codes):
        if code in layouts:
            layout = layouts[code]
            columns = [c for c in layout.columns if c.get("field") in EXPORT_FIELDS]
            return {"name": layout.name, "title": layout.title, "merge_main_cells": layout.merge_main_cells,
                    "columns": columns or NATIONAL_LAYOUT["columns"]}
    return NATIONAL_LAYOUT


def _clean(value):
    if value == "":
        return None
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _group_rows(main, subs, columns, serial):
    """The rows of one main item: [(values, merged column indexes)]."""
    fields = [c["field"] for c in columns]
    if not subs:
        values = [serial if f == "serial" else field_value(main, f) for f in fields]
        return [values], set()
    rows = [[None] * len(fields) for _sub in subs]
    merged = set()
    for j, name in enumerate(fields):
        if name in MAIN_COLUMNS:
            rows[0][j] = serial if name == "serial" else field_value(main, name)
            merged.add(j)
            continue
        if name == "sub_item_name":
            for row, sub in zip(rows, subs):
                row[j] = sub.name
            continue
        if name == "sub_item_code":
            for row, sub in zip(rows, subs):
                row[j] = sub.code
            continue
        own = [field_value(sub, name) for sub in subs]
        inherited = field_value(main, name)
        if all(v in ("", None) for v in own):
            # Every sub-item inherits: the main item's value, once, over all their rows.
            rows[0][j] = inherited
            if inherited not in ("", None):
                merged.add(j)
        elif name in ("forwarded", "exercise_level", "division") and len(set(own)) == 1:
            rows[0][j] = own[0]
            merged.add(j)
        else:
            for row, value in zip(rows, own):
                row[j] = value if value not in ("", None) else inherited
    return rows, merged


def power_export_layout(*, user, filters=None, layout=None):
    """The user's visible list in `layout` as .xlsx bytes (power_export_layout_to)."""
    stream = io.BytesIO()
    power_export_layout_to(stream, user=user, filters=filters, layout=layout)
    return stream.getvalue()


def power_export_layout_to(stream, *, user, filters=None, layout=None, progress=None):
    """Write the user's visible list (selectors.power_list with `filters`) in `layout`
    (default: the layout of the user's region) into `stream` as .xlsx: a title row, the
    header row, and per main item one row, or one row per sub-item with the main item's
    cells merged over them. A sub-item's blank cells show its main item's value. Returns
    the number of powers written; `progress(done, total[, message])` is called every
    EXPORT_CHUNK powers and once more before the workbook is saved (the merges need
    openpyxl's normal mode, which writes the file only at the end)."""
    department = user.department
    layout = layout or export_layout_for(department.region)
    columns = layout["columns"]
    powers = list(power_list(user=user, filters=filters).select_related("parent").prefetch_related(*LIST_PREFETCH))
    subs_of = {}
    mains = []
    for power in powers:
        if power.parent_id:
            subs_of.setdefault(power.parent_id, []).append(power)
        else:
            mains.append(power)
    # The catalogue's order: by category, then code (sub-items follow their main item).
    mains.sort(key=lambda p: (p.category.order, p.category.code, p.code))
    listed = {p.pk for p in mains}
    # A sub-item whose main item is filtered out is listed as an item of its own.
    mains += [s for pid, subs in subs_of.items() if pid not in listed for s in subs]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    width = len(columns)
    sheet.append([_clean(layout["title"].replace("{department}", department.name if department else ""))])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append([c["header"] for c in columns])
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j in range(1, width + 1):
        cell = sheet.cell(2, j)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(j)].width = 40 if columns[j - 1]["field"] in (
            "legal_bases", "responsibility_items", "accountability_circumstances") else 16
    body = Alignment(wrap_text=True, vertical="top")
    total, done, reported = len(powers), 0, 0
    for serial, main in enumerate(mains, 1):
        group = subs_of.get(main.pk, []) if not main.parent_id else []
        rows, merged = _group_rows(main, group, columns, serial)
        done += 1 + len(group)
        if progress and done - reported >= EXPORT_CHUNK:
            progress(done, total)
            reported = done
        first = sheet.max_row + 1
        for values in rows:
            sheet.append([_clean(v) for v in values])
        for j in range(1, width + 1):
            for i in range(first, first + len(rows)):
                cell = sheet.cell(i, j)
                cell.alignment = body
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        if layout.get("merge_main_cells", True) and len(rows) > 1:
            for j in merged:
                sheet.merge_cells(start_row=first, start_column=j + 1, end_row=first + len(rows) - 1,
                                  end_column=j + 1)
    sheet.freeze_panes = "A3"
    if progress:
        progress(total, total, _("正在生成文件…"))
    workbook.save(stream)
    return total


def layout_filename(layout):
    return _("%(name)s.xlsx") % {"name": layout["name"]}


def power_export_layout_start(*, user, filters):
    """Queue the export of a large list in the region's layout: a Job (kind
    "power_export_layout", params filters and the file name) whose task writes the
    workbook into job.output_file once the transaction commits."""
    filename = layout_filename(export_layout_for(user.department.region))
    return job_start(kind="power_export_layout", user=user, task=POWER_EXPORT_LAYOUT_TASK,
                     params={"filters": filters, "filename": filename}, message=_("排队等待导出…"))
