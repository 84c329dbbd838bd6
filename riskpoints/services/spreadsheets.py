"""Excel import and export of risk points and their countermeasures.

One sheet of risk points keyed by power code + point number, one sheet of measures
keyed by power code + point number + measure number. The import is all or nothing:
every row goes through the same services as the web forms inside one transaction,
and any error rolls the whole file back and is reported by sheet, row and column.
"""

import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from powerlist.catalogue.spreadsheets import workbook_open
from powerlist.catalogue.spreadsheets.columns import clean_key, clean_text, header_key
from powerlist.jobs.runner import job_start
from powerlist.models import Power, ReviewState
from riskpoints.models import Countermeasure, RiskLevel, RiskPoint, RiskSource, Stage
from riskpoints.permissions import can_create_riskpoint
from riskpoints.selectors import riskpoint_list
from riskpoints.services.riskpoints import (
    countermeasure_create,
    countermeasure_update,
    riskpoint_create,
    riskpoint_update,
)

POINT_SHEET = "廉政风险点"
MEASURE_SHEET = "防范措施"
# (header, field, kind): kind parses the cell.
POINT_COLUMNS = (
    ("事项编码", "power_code", "key"),
    ("风险点序号", "number", "int"),
    ("权力运行环节", "stage", Stage),
    ("岗位", "post_name", "text"),
    ("风险来源", "source", RiskSource),
    ("风险内容", "description", "text"),
    ("表现形式", "manifestation", "text"),
    ("发生可能性", "likelihood", "int"),
    ("影响程度", "impact", "int"),
    ("风险等级", "level", RiskLevel),
    ("定级理由", "level_reason", "text"),
    ("监测指标", "monitoring_indicator", "text"),
    ("责任人", "responsible_person", "text"),
    ("责任领导", "responsible_leader", "text"),
    ("下次评估日期", "next_review_date", "date"),
)
MEASURE_COLUMNS = (
    ("事项编码", "power_code", "key"),
    ("风险点序号", "point_number", "int"),
    ("措施序号", "number", "int"),
    ("措施类型", "kind", Countermeasure.Kind),
    ("措施内容", "text", "text"),
    ("责任单位", "responsible_unit", "text"),
    ("责任人", "responsible_person", "text"),
    ("完成时限", "deadline", "date"),
    ("实施状态", "state", Countermeasure.State),
)
MAX_REPORTED_ERRORS = 500


class _Errors:
    def __init__(self):
        self.items, self.count = [], 0

    def add(self, sheet, row, column, message):
        self.count += 1
        if len(self.items) < MAX_REPORTED_ERRORS:
            self.items.append({"row": f"{sheet} {row}", "column": str(column), "message": str(message)})


def _parse(value, kind):
    """(value, error) for one cell."""
    if kind in ("key", "text"):
        return (clean_key(value) if kind == "key" else clean_text(value)), None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if kind == "int":
        try:
            number = float(clean_key(value)) if not isinstance(value, (int, float)) else value
        except ValueError:
            return None, _("须为整数。")
        return (int(number), None) if float(number).is_integer() else (None, _("须为整数。"))
    if kind == "date":
        if isinstance(value, datetime.datetime):
            return value.date(), None
        if isinstance(value, datetime.date):
            return value, None
        text = clean_key(value).replace("/", "-").replace(".", "-")
        try:
            return datetime.date.fromisoformat(text), None
        except ValueError:
            return None, _("日期格式应为 2026-12-31。")
    # a choices class: accept the Chinese label (or its start) or the code
    text = clean_key(value)
    for code, label in kind.choices:
        if text in (code, clean_key(label)) or clean_key(label).startswith(text):
            return code, None
    return None, _("应为:%(labels)s。") % {"labels": "、".join(str(label) for _c, label in kind.choices)}


def _rows(workbook, sheet_name, columns, errors):
    """Parsed rows (excel row number, {field: value}) of a sheet, header matched by name."""
    if sheet_name not in workbook.sheetnames:
        errors.add(sheet_name, "", "", _("缺少工作表“%(s)s”。") % {"s": sheet_name})
        return []
    rows = workbook[sheet_name].iter_rows(values_only=True)
    header = next(rows, None) or ()
    index = {header_key(h): i for i, h in enumerate(header) if h is not None}
    missing = [h for h, _f, _k in columns if header_key(h) not in index]
    if missing:
        errors.add(sheet_name, 1, "、".join(missing), _("缺少列。"))
        return []
    parsed = []
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        data = {}
        for headline, field, kind in columns:
            i = index[header_key(headline)]
            value, error = _parse(values[i] if i < len(values) else None, kind)
            if error:
                errors.add(sheet_name, number, headline, error)
            data[field] = value
        parsed.append((number, data))
    return parsed


def _report(errors, sheet, number, exc, headers):
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                errors.add(sheet, number, headers.get(field, field if field != "__all__" else ""), message)
    else:
        for message in getattr(exc, "messages", [str(exc)]):
            errors.add(sheet, number, "", message)


def riskpoint_import(*, user, file, progress=None):
    """Import risk points and measures from the workbook, all or nothing. New (power
    code, number) pairs become drafts; existing drafts the user may edit are updated;
    measures are matched by their number within the point. Returns a dict with
    created/updated counts, errors [{row, column, message}] and error_count."""
    workbook = workbook_open(file)
    errors = _Errors()
    points = _rows(workbook, POINT_SHEET, POINT_COLUMNS, errors)
    measures = _rows(workbook, MEASURE_SHEET, MEASURE_COLUMNS, errors)
    workbook.close()
    point_headers = {field: h for h, field, _k in POINT_COLUMNS}
    measure_headers = {field: h for h, field, _k in MEASURE_COLUMNS}
    codes = {d["power_code"] for _n, d in points} | {d["power_code"] for _n, d in measures}
    powers = {p.code: p for p in Power.objects.filter(region_id=user.region_id, code__in=codes).select_related(
        "region", "category", "department")} if user.department_id else {}
    counts = {"created": 0, "updated": 0, "measures_created": 0, "measures_updated": 0}
    total = len(points) + len(measures)
    with transaction.atomic():
        seen = {}
        for done, (number, data) in enumerate(points, start=1):
            power = powers.get(data["power_code"])
            if power is None or not can_create_riskpoint(user, power):
                errors.add(POINT_SHEET, number, "事项编码", _("本区划无此事项,或您不是该事项的经办人。"))
                continue
            if not data["number"]:
                errors.add(POINT_SHEET, number, "风险点序号", _("请填写风险点序号。"))
                continue
            if (power.pk, data["number"]) in seen:
                errors.add(POINT_SHEET, number, "风险点序号", _("与第%(r)s行重复。") % {"r": seen[(power.pk, data["number"])]})
                continue
            seen[(power.pk, data["number"])] = number
            content = {k: v for k, v in data.items() if k != "power_code"}
            existing = RiskPoint.objects.filter(power=power, number=data["number"]).first()
            try:
                with transaction.atomic():
                    if existing:
                        riskpoint_update(user=user, riskpoint=existing, data=content)
                        counts["updated"] += 1
                    else:
                        riskpoint_create(user=user, power=power, data=content)
                        counts["created"] += 1
            except (ValidationError, PermissionDenied) as exc:
                _report(errors, POINT_SHEET, number, exc, point_headers)
            if progress and done % 100 == 0:
                progress(done, total)
        for number, data in measures:
            power = powers.get(data["power_code"])
            riskpoint = RiskPoint.objects.filter(power=power, number=data["point_number"]).first() if power else None
            if riskpoint is None:
                errors.add(MEASURE_SHEET, number, "风险点序号", _("找不到该事项的此序号风险点。"))
                continue
            content = {k: data[k] for k in ("kind", "text", "responsible_unit", "responsible_person", "deadline")}
            existing = riskpoint.countermeasures.filter(number=data["number"]).first() if data["number"] else None
            try:
                with transaction.atomic():
                    if existing:
                        countermeasure_update(user=user, measure=existing, data=content)
                        counts["measures_updated"] += 1
                    else:
                        content["number"] = data["number"]
                        existing = countermeasure_create(user=user, riskpoint=riskpoint, data=content)
                        counts["measures_created"] += 1
                    if data["state"] == Countermeasure.State.IN_FORCE:
                        Countermeasure.objects.filter(pk=existing.pk).update(state=data["state"])
            except (ValidationError, PermissionDenied) as exc:
                _report(errors, MEASURE_SHEET, number, exc, measure_headers)
        if errors.count:
            transaction.set_rollback(True)
    if progress:
        progress(total, total)
    ok = not errors.count
    summary = (
        _("已导入:新增风险点 %(created)s 个,更新 %(updated)s 个;新增措施 %(measures_created)s 条,更新 %(measures_updated)s 条。") % counts
        if ok else _("发现 %(n)s 处错误,未保存任何数据。请按错误明细修改后重新导入。") % {"n": errors.count}
    )
    return {"ok": ok, **(counts if ok else {}), "errors": errors.items, "error_count": errors.count,
            "summary": summary}


EXPORT_PROGRESS_EVERY = 500


def riskpoint_export_to(stream, *, user, filters=None, progress=None):
    """Write the risk points the user may read (with their measures) to `stream` as
    .xlsx in the import layout; returns the number of points. `progress(done, total)`
    is called every EXPORT_PROGRESS_EVERY points."""

    workbook = Workbook(write_only=True)
    points_sheet = workbook.create_sheet(POINT_SHEET)
    measures_sheet = workbook.create_sheet(MEASURE_SHEET)
    points_sheet.append([h for h, _f, _k in POINT_COLUMNS] + ["审核状态"])
    measures_sheet.append([h for h, _f, _k in MEASURE_COLUMNS])
    count = 0
    qs = riskpoint_list(user=user, filters=filters or {}).prefetch_related("countermeasures")
    total = qs.count() if progress else None
    for rp in qs.iterator(chunk_size=EXPORT_PROGRESS_EVERY):
        count += 1
        if progress and count % EXPORT_PROGRESS_EVERY == 0:
            progress(count, total)
        points_sheet.append([
            rp.power.code, rp.number, rp.get_stage_display(), rp.post_label, rp.get_source_display(),
            rp.description, rp.manifestation, rp.likelihood, rp.impact, rp.get_level_display(), rp.level_reason,
            rp.monitoring_indicator, rp.responsible_person, rp.responsible_leader, rp.next_review_date,
            str(ReviewState(rp.state).label),
        ])
        for m in rp.countermeasures.all():
            measures_sheet.append([rp.power.code, rp.number, m.number, m.get_kind_display(), m.text,
                                   m.responsible_unit, m.responsible_person, m.deadline, m.get_state_display()])
    workbook.save(stream)
    return count


def riskpoint_export(*, user, filters=None) -> bytes:
    stream = io.BytesIO()
    riskpoint_export_to(stream, user=user, filters=filters)
    return stream.getvalue()


def riskpoint_import_start(*, user, upload):
    """Queue an import: a Job (kind "riskpoint_import") holding the file, and the task
    once the transaction commits."""

    if not user.department_id:
        raise PermissionDenied(_("您的账号未分配部门。"))
    return job_start(kind="riskpoint_import", user=user, task="riskpoints.tasks.riskpoint_import_task",
                     input_file=upload, params={"filename": upload.name[:200]}, message=_("排队等待导入…"))


def riskpoint_export_start(*, user, filters=None):
    """Queue an export: a Job (kind "riskpoint_export") and the task once the
    transaction commits."""
    return job_start(kind="riskpoint_export", user=user, task="riskpoints.tasks.riskpoint_export_task",
                     params={"filters": filters or {}}, message=_("排队等待导出…"))
