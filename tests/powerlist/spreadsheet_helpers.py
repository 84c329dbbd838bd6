"""Building workbooks in tests, the way clerks' real files look."""

import io

from openpyxl import Workbook, load_workbook

from powerlist.catalogue.spreadsheets.columns import HEADERS


def xlsx(rows, *, title=None, headers=HEADERS, blank_rows_before_header=0):
    """An .xlsx as bytes: an optional merged title row, blank rows, the header, `rows`
    (dicts by header, or lists in header order)."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for _ in range(blank_rows_before_header):
        sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        if isinstance(row, dict):
            row = [row.get(h) for h in HEADERS]
        sheet.append(list(row) if row else [None])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def row(code, name="企业投资项目核准", category="行政许可", cells=None):
    """A valid row dict for the 投资处 of the org fixture; `cells` override by header."""
    data = {"事项编码": code, "事项名称": name, "职权类别": category, "内部负责机构": "投资处",
            "法定时限(工作日)": 20, "承诺时限(工作日)": 10}
    data.update(cells or {})
    return data


def read_sheet(content, sheet=0):
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook.worksheets[sheet]
    return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]
