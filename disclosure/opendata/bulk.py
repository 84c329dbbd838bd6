"""The bulk files' contents: one flat row per published power (CSV, XLSX) or its whole
public snapshot (JSON), streamed from the database in chunks so that a province of
500,000 powers never sits in memory. Only PublishedPower rows are read: what was
published, nothing else."""

import csv
import io
import json

from django.conf import settings
from django.urls import reverse
from openpyxl import Workbook

CHUNK = 2000

COLUMNS = (
    ("region_code", "行政区划代码"), ("region", "行政区划"), ("level", "层级"), ("department", "部门"),
    ("division", "处(科、室)"), ("category_code", "类别编码"), ("category", "职权类别"), ("code", "事项编码"),
    ("name", "事项名称"), ("parent_code", "主项编码"), ("disposition", "处理结果"), ("status", "状态"),
    ("version", "公开版本号"), ("publication_number", "公开批次号"), ("published_at", "公开时间"),
    ("legal_bases", "行使依据"), ("conditions", "办理条件"), ("statutory_limit_days", "法定时限(工作日)"),
    ("promised_limit_days", "承诺时限(工作日)"), ("service_commitment", "服务承诺"), ("fee_basis", "收费依据"),
    ("responsibility_items", "责任事项"), ("accountability_circumstances", "追责情形"),
    ("flowchart_steps", "运行流程"), ("flowchart_svg", "流程图(SVG)"), ("url", "公开页面"),
)


def public_url(path):
    """An absolute address when PUBLIC_BASE_URL is set (files leave the site), else the path."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def power_urls(row):
    region_code = row.region.code
    page = reverse("disclosure:power_version", args=[region_code, row.code, row.version])
    svg = ""
    if (row.data.get("flowchart") or {}).get("svg"):
        svg = reverse("opendata_api:power-version-svg", args=[region_code, row.code, row.version])
    return {"url": public_url(page), "flowchart_svg": public_url(svg) if svg else ""}


def _steps_text(flowchart):
    if not flowchart:
        return ""
    parts = []
    for step in flowchart.get("outline", []):
        extra = "、".join(filter(None, [step.get("post") or "",
                                        f"{step['time_limit_days']}个工作日" if step.get("time_limit_days") else ""]))
        parts.append(f"{step['name']}({extra})" if extra else step["name"])
    return " → ".join(parts)


def flat_row(row) -> dict:
    """The CSV/XLSX row of one published power (plain text cells)."""
    d = row.data
    # .get throughout: a snapshot published before a field existed lacks its key.
    return {
        "region_code": row.region.code, "region": row.region.name, "level": row.level,
        "department": d.get("department", ""), "division": d.get("division") or "",
        "category_code": d.get("category_code", ""), "category": d.get("category", ""),
        "code": row.code, "name": row.name, "parent_code": row.parent_code,
        "disposition": d.get("disposition_label", ""),
        "status": row.get_status_display(), "version": row.version, "publication_number": row.publication.number,
        "published_at": row.publication.published_at.isoformat(),
        "legal_bases": ";".join(
            f"{b.get('law_name', '')}{b.get('article', '')}" for b in d.get("legal_bases", [])),
        "conditions": d.get("conditions") or "",
        "statutory_limit_days": d.get("statutory_limit_days") if d.get("statutory_limit_days") is not None else "",
        "promised_limit_days": d.get("promised_limit_days") if d.get("promised_limit_days") is not None else "",
        "service_commitment": d.get("service_commitment") or "", "fee_basis": d.get("fee_basis") or "",
        "responsibility_items": ";".join(
            f"{i.get('stage_label', '')}:{i.get('text', '')}" for i in d.get("responsibility_items", [])),
        "accountability_circumstances": ";".join(c.get("text", "") for c in d.get("accountability_circumstances", [])),
        "flowchart_steps": _steps_text(d.get("flowchart")),
        **power_urls(row),
    }


def json_record(row) -> dict:
    """The JSON record of one published power: its snapshot (the SVG drawing replaced by
    its address), with version and publication."""
    data = dict(row.data)
    if data.get("flowchart"):
        data["flowchart"] = {k: v for k, v in data["flowchart"].items() if k != "svg"}
    return {
        "code": row.code, "name": row.name, "status": row.status, "version": row.version,
        "publication": {"number": row.publication.number, "published_at": row.publication.published_at.isoformat()},
        **power_urls(row), "data": data,
    }


class Table:
    """The header, then one list of cells per published power; counts what it gave."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        yield [label for _key, label in COLUMNS]
        for row in self.rows:
            flat = flat_row(row)
            self.count += 1
            yield [flat[key] for key, _label in COLUMNS]


def write_csv(rows, stream):
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    table = Table(rows)
    csv.writer(text).writerows(table)
    text.flush()
    text.detach()
    return table.count


def write_xlsx(rows, stream, *, title):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "data")
    table = Table(rows)
    for cells in table:
        sheet.append(cells)
    workbook.save(stream)
    return table.count


def write_json(rows, stream, *, meta):
    """{"dataset": meta, "powers": [record, …]}, written record by record."""
    head = json.dumps({"dataset": meta}, ensure_ascii=False)[:-1]
    stream.write(f'{head}, "powers": ['.encode())
    n = 0
    for row in rows:
        stream.write((", " if n else "").encode() + json.dumps(json_record(row), ensure_ascii=False).encode())
        n += 1
    stream.write(b"]}")
    return n


def checksums_text(files) -> str:
    """The sha256sum format: "<hex>  <filename>" a line (`sha256sum -c` checks it)."""
    return "".join(f"{sha}  {name}\n" for name, sha in files)
